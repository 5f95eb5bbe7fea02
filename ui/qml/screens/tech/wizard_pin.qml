import QtQuick
import QtQuick.Layouts
import "../../components"

// The new PIN, typed twice on the number pad.
ColumnLayout {
    id: step
    property string first: ""
    spacing: Theme.gap

    Text {
        Layout.fillWidth: true
        text: step.first.length === 0 ? qsTr("请输入新密码") : qsTr("请再输入一次")
        font.pixelSize: Theme.fontLarge
        color: Theme.text
        horizontalAlignment: Text.AlignHCenter
    }
    Text {
        Layout.fillWidth: true
        text: "●".repeat(pad.value.length) + "○".repeat(Math.max(0, 6 - pad.value.length))
        font.pixelSize: Theme.fontTitle
        color: Theme.text
        horizontalAlignment: Text.AlignHCenter
    }
    NumericKeypad {
        id: pad
        Layout.fillWidth: true
        maxLength: 8
        enabled: !technician.busy
    }
    KioskButton {
        objectName: "techWizardNext"
        Layout.fillWidth: true
        primary: true
        enabled: pad.value.length >= 6 && !technician.busy
        text: step.first.length === 0 ? qsTr("下一步") : qsTr("设置密码")
        onClicked: {
            if (step.first.length === 0) {
                step.first = pad.value
            } else {
                technician.setInitialPin(step.first, pad.value)
                step.first = ""
            }
            pad.value = ""
        }
    }
    Item { Layout.fillHeight: true }
}
