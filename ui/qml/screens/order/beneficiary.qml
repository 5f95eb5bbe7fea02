import QtQuick
import QtQuick.Layouts
import "../../components"

ColumnLayout {
    id: view
    spacing: Theme.gap * 0.75
    property string relation: ordering.draft.relation

    Text {
        Layout.fillWidth: true
        text: qsTr("被服务人是您的？")
        font.pixelSize: Theme.fontLarge
        font.bold: true
        color: Theme.text
        horizontalAlignment: Text.AlignHCenter
    }
    RowLayout {
        Layout.alignment: Qt.AlignHCenter
        spacing: Theme.gap
        Repeater {
            model: [
                { id: "family", label: qsTr("家人") },
                { id: "neighbour", label: qsTr("邻居") },
                { id: "friend", label: qsTr("朋友") }
            ]
            delegate: Chip {
                required property var modelData
                objectName: "relation_" + modelData.id
                text: modelData.label
                checked: view.relation === modelData.id
                onClicked: view.relation = modelData.id
            }
        }
    }
    Text {
        Layout.fillWidth: true
        text: qsTr("被服务人的手机号码")
        font.pixelSize: Theme.fontLarge
        font.bold: true
        color: Theme.text
        horizontalAlignment: Text.AlignHCenter
    }
    PhoneDisplay {
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
        objectName: "beneficiaryKeypad"
        Layout.fillWidth: true
        maxLength: 11
        Component.onCompleted: value = ordering.entryDigits("beneficiary")
    }
    KioskButton {
        objectName: "nextButton"
        Layout.fillWidth: true
        primary: true
        text: qsTr("下一步")
        onClicked: { ordering.setBeneficiary(keypad.value, "", view.relation); ordering.next() }
    }
}
