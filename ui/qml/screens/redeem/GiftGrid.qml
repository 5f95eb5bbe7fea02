import QtQuick
import "../../components"

// The gifts of the chosen category, two a row; with a volunteer, each can be added to the cart.
GridView {
    id: grid
    property bool forMember: true
    objectName: "giftGrid"
    clip: true
    cellWidth: width / 2
    cellHeight: Theme.touchMin * (forMember ? 5.6 : 4.6)
    boundsBehavior: Flickable.StopAtBounds
    model: redemption.gifts
    delegate: GiftTile {
        required property var modelData
        width: grid.cellWidth
        height: grid.cellHeight
        gift: modelData
        forMember: grid.forMember
    }
}
