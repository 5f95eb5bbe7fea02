import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import "../../components"

ColumnLayout {
    spacing: Theme.gap
    Text {
        Layout.fillWidth: true
        text: qsTr("怎么称呼您？")
        font.pixelSize: Theme.fontTitle
        font.bold: true
        color: Theme.text
        horizontalAlignment: Text.AlignHCenter
    }
    Text {
        Layout.fillWidth: true
        text: qsTr("可以只写姓，也可以不填")
        font.pixelSize: Theme.fontBody
        color: Theme.textMuted
        horizontalAlignment: Text.AlignHCenter
    }
    TextField {
        id: surname
        objectName: "surnameField"
        Layout.fillWidth: true
        Layout.preferredHeight: Theme.buttonHeight
        font.pixelSize: Theme.fontLarge
        placeholderText: qsTr("例如：王")
        maximumLength: 20
        text: ordering.draft.surname
        inputMethodHints: Qt.ImhNoPredictiveText
    }
    RowLayout {
        Layout.alignment: Qt.AlignHCenter
        spacing: Theme.gap
        Chip {
            id: mr
            objectName: "titleMr"
            text: qsTr("先生")
            checked: ordering.draft.title === "先生"
            onClicked: if (checked) ms.checked = false
        }
        Chip {
            id: ms
            objectName: "titleMs"
            text: qsTr("女士")
            checked: ordering.draft.title === "女士"
            onClicked: if (checked) mr.checked = false
        }
    }
    ProblemText {
        Layout.fillWidth: true
        code: ordering.problem
    }
    Item { Layout.fillHeight: true }
    KioskButton {
        objectName: "nextButton"
        Layout.fillWidth: true
        primary: true
        text: qsTr("下一步")
        // The title is stored in Chinese whatever the screen language: it is printed for volunteers.
        onClicked: {
            surname.focus = false
            ordering.setName(surname.text, mr.checked ? "先生" : ms.checked ? "女士" : "")
            ordering.next()
        }
    }
}
