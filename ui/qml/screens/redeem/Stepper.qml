import QtQuick
import QtQuick.Layouts
import "../../components"

// − qty +, each a full-size touch target.
RowLayout {
    id: stepper
    property string giftId: ""
    property int qty: 0
    property bool canAdd: true
    spacing: Theme.gap / 2
    KioskButton {
        objectName: "minus_" + stepper.giftId
        Layout.preferredWidth: Theme.touchMin
        Layout.preferredHeight: Theme.touchMin
        implicitWidth: Theme.touchMin
        text: "−"
        enabled: !redemption.busy
        onClicked: redemption.setQty(stepper.giftId, stepper.qty - 1)
    }
    Text {
        objectName: "qty_" + stepper.giftId
        Layout.preferredWidth: Theme.touchMin
        text: stepper.qty
        font.pixelSize: Theme.fontLarge
        font.bold: true
        color: Theme.text
        horizontalAlignment: Text.AlignHCenter
    }
    KioskButton {
        objectName: "plus_" + stepper.giftId
        Layout.preferredWidth: Theme.touchMin
        Layout.preferredHeight: Theme.touchMin
        implicitWidth: Theme.touchMin
        text: "+"
        enabled: stepper.canAdd && !redemption.busy
        onClicked: redemption.setQty(stepper.giftId, stepper.qty + 1)
    }
}
