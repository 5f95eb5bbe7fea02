import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import "../../components"

ColumnLayout {
    id: view
    spacing: Theme.gap
    property bool typing: false

    Text {
        Layout.fillWidth: true
        visible: !view.typing
        text: qsTr("请把小票上的二维码对准扫码口")
        font.pixelSize: Theme.fontTitle
        font.bold: true
        color: Theme.text
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
    }
    ScanHint {
        Layout.fillWidth: true
        Layout.fillHeight: true
        visible: !view.typing
    }
    Text {
        Layout.fillWidth: true
        visible: view.typing
        text: qsTr("预约号（在小票上）")
        font.pixelSize: Theme.fontLarge
        color: Theme.text
    }
    TextField {
        id: code
        objectName: "codeField"
        Layout.fillWidth: true
        Layout.preferredHeight: Theme.buttonHeight
        visible: view.typing
        font.pixelSize: Theme.fontLarge
        font.capitalization: Font.AllUppercase
        placeholderText: qsTr("例如 XN20261129-0042")
        inputMethodHints: Qt.ImhPreferUppercase | Qt.ImhNoPredictiveText | Qt.ImhLatinOnly
        maximumLength: 24
    }
    Text {
        Layout.fillWidth: true
        visible: view.typing
        text: qsTr("预约时所留手机号码的后4位")
        font.pixelSize: Theme.fontLarge
        color: Theme.text
    }
    PhoneDisplay {
        Layout.fillWidth: true
        visible: view.typing
        digits: last4.value
        placeholder: qsTr("后4位")
    }
    NumericKeypad {
        id: last4
        objectName: "last4Keypad"
        Layout.fillWidth: true
        visible: view.typing
        maxLength: 4
        onEdited: code.focus = false
    }
    ProblemText {
        objectName: "problemText"
        Layout.fillWidth: true
        code: tracking.problem
    }
    KioskButton {
        objectName: "findButton"
        Layout.fillWidth: true
        visible: view.typing
        primary: true
        enabled: !tracking.busy
        text: tracking.busy ? qsTr("正在查询…") : qsTr("查询")
        onClicked: { code.focus = false; tracking.find(code.text, last4.value) }
    }
    KioskButton {
        objectName: "typeCodeButton"
        Layout.fillWidth: true
        text: view.typing ? qsTr("改用扫码") : qsTr("没有小票？输入预约号")
        font.pixelSize: Theme.fontBody
        onClicked: view.typing = !view.typing
    }
}
