import QtQuick
import QtQuick.Layouts
import "../../components"

ColumnLayout {
    spacing: Theme.gap
    Text {
        Layout.fillWidth: true
        text: qsTr("请输入您的手机号码")
        font.pixelSize: Theme.fontTitle
        font.bold: true
        color: Theme.text
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
    }
    Text {
        Layout.fillWidth: true
        text: qsTr("志愿者会打这个电话联系您，号码只用于这次服务")
        font.pixelSize: Theme.fontSmall
        color: Theme.textMuted
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
    }
    PhoneDisplay {
        objectName: "phoneDisplay"
        Layout.fillWidth: true
        digits: keypad.value
        placeholder: qsTr("11位手机号码")
    }
    ProblemText {
        objectName: "problemText"
        Layout.fillWidth: true
        code: ordering.problem
    }
    NumericKeypad {
        id: keypad
        objectName: "phoneKeypad"
        Layout.fillWidth: true
        maxLength: 11
        // Coming back to this question shows what was typed, so it can be corrected, not retyped.
        Component.onCompleted: value = ordering.entryDigits("phone")
    }
    KioskButton {
        objectName: "nextButton"
        Layout.fillWidth: true
        primary: true
        text: qsTr("下一步")
        onClicked: { ordering.setPhone(keypad.value); ordering.next() }
    }
}
