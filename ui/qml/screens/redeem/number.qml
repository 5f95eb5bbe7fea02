import QtQuick
import QtQuick.Layouts
import "../../components"

// No phone at hand: the member number from the volunteer card, then the PIN.
ColumnLayout {
    spacing: Theme.gap
    Text {
        Layout.fillWidth: true
        text: qsTr("请输入会员号（志愿者证上的数字）")
        font.pixelSize: Theme.fontLarge
        font.bold: true
        color: Theme.text
        wrapMode: Text.WordWrap
    }
    PhoneDisplay {
        objectName: "memberNoDisplay"
        Layout.fillWidth: true
        digits: pad.value
        placeholder: qsTr("会员号")
    }
    NumericKeypad {
        id: pad
        objectName: "memberNoKeypad"
        Layout.fillWidth: true
        maxLength: 12
        value: redemption.cardNumber
    }
    ProblemText {
        objectName: "problemText"
        Layout.fillWidth: true
        code: redemption.problem
    }
    Item { Layout.fillHeight: true }
    KioskButton {
        objectName: "numberNextButton"
        Layout.fillWidth: true
        primary: true
        text: qsTr("下一步")
        onClicked: redemption.enterNumber(pad.value)
    }
}
