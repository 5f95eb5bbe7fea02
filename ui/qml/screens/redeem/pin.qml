import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import "../../components"

// The PIN of a printed card (or a typed member number), on the keypad; shown only as dots.
ColumnLayout {
    spacing: Theme.gap
    Text {
        Layout.fillWidth: true
        text: qsTr("会员号 %1").arg(redemption.cardNumber)
        font.pixelSize: Theme.fontBody
        color: Theme.textMuted
        horizontalAlignment: Text.AlignHCenter
    }
    Text {
        Layout.fillWidth: true
        text: qsTr("请输入密码")
        font.pixelSize: Theme.fontLarge
        font.bold: true
        color: Theme.text
        horizontalAlignment: Text.AlignHCenter
    }
    PhoneDisplay {
        objectName: "pinDisplay"
        Layout.fillWidth: true
        // Dots, never digits: someone may be standing behind.
        digits: ""
        placeholder: pad.value.length > 0 ? "● ".repeat(pad.value.length).trim() : qsTr("4到8位数字")
    }
    NumericKeypad {
        id: pad
        objectName: "pinKeypad"
        Layout.fillWidth: true
        maxLength: 8
    }
    ProblemText {
        objectName: "problemText"
        Layout.fillWidth: true
        code: redemption.problem
    }
    Item { Layout.fillHeight: true }
    KioskButton {
        objectName: "pinNextButton"
        Layout.fillWidth: true
        primary: true
        enabled: !redemption.busy
        text: redemption.busy ? qsTr("正在核对…") : qsTr("确定")
        onClicked: {
            redemption.enterPin(pad.value)
            pad.value = ""
        }
    }
}
