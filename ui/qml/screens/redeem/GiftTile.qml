import QtQuick
import QtQuick.Layouts
import "../../components"

// One gift: picture, name, points, stock here, per-person limit; for a volunteer also what is
// missing to afford it and an add button.
Item {
    id: tile
    property var gift: ({})
    property bool forMember: true
    readonly property bool soldOut: gift.stock <= 0
    readonly property bool affordable: gift.missing === 0
    readonly property bool full: gift.inCart >= gift.maxQty

    Rectangle {
        anchors { fill: parent; margins: Theme.gap / 2 }
        radius: Theme.radius
        color: Theme.surface
        border.color: tile.gift.inCart > 0 ? Theme.secondary : Theme.border
        border.width: tile.gift.inCart > 0 ? Theme.borderWidth * 2 : Theme.borderWidth
        ColumnLayout {
            anchors { fill: parent; margins: Theme.gap / 2 }
            spacing: Theme.gap / 4
            Image {
                Layout.fillWidth: true
                Layout.fillHeight: true
                fillMode: Image.PreserveAspectFit
                source: catalogue.imageUrl(tile.gift.image)
                asynchronous: true
                opacity: tile.soldOut ? 0.4 : 1
            }
            Text {
                Layout.fillWidth: true
                text: shell.pick(tile.gift.name)
                font.pixelSize: Theme.fontBody
                font.bold: true
                color: Theme.text
                horizontalAlignment: Text.AlignHCenter
                elide: Text.ElideRight
            }
            Text {
                Layout.fillWidth: true
                text: qsTr("%1 积分").arg(tile.gift.points)
                font.pixelSize: Theme.fontBody
                font.bold: true
                color: Theme.primary
                horizontalAlignment: Text.AlignHCenter
            }
            Text {
                Layout.fillWidth: true
                text: (tile.soldOut ? qsTr("本机已兑完") : qsTr("本机剩余 %1").arg(tile.gift.stock))
                      + (tile.gift.limit > 0 ? qsTr(" · 每人限 %1 份").arg(tile.gift.limit) : "")
                font.pixelSize: Theme.fontSmall
                color: tile.soldOut ? Theme.bad : Theme.textMuted
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
            }
            Text {
                objectName: "missing_" + tile.gift.id
                Layout.fillWidth: true
                visible: tile.forMember && !tile.soldOut && !tile.affordable
                text: qsTr("还差 %1 积分").arg(tile.gift.missing)
                font.pixelSize: Theme.fontSmall
                font.bold: true
                color: Theme.warn
                horizontalAlignment: Text.AlignHCenter
            }
            KioskButton {
                objectName: "addGift_" + tile.gift.id
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.touchMin
                visible: tile.forMember
                enabled: !tile.soldOut && tile.affordable && !tile.full && !redemption.busy
                primary: tile.gift.inCart === 0
                font.pixelSize: Theme.fontBody
                text: tile.gift.inCart > 0 ? qsTr("已选 %1，再加一份").arg(tile.gift.inCart) : qsTr("选这个")
                onClicked: redemption.add(tile.gift.id)
            }
        }
    }
}
