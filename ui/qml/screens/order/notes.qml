import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import "../../components"

ColumnLayout {
    spacing: Theme.gap
    Text {
        Layout.fillWidth: true
        text: qsTr("有什么需要志愿者提前知道的吗？")
        font.pixelSize: Theme.fontLarge
        font.bold: true
        color: Theme.text
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
    }
    Text {
        Layout.fillWidth: true
        text: qsTr("点一下选择，可以多选，也可以不选")
        font.pixelSize: Theme.fontBody
        color: Theme.textMuted
        horizontalAlignment: Text.AlignHCenter
    }
    Flow {
        Layout.fillWidth: true
        spacing: Theme.gap / 2
        Repeater {
            model: catalogue.orderTags
            delegate: Chip {
                required property var modelData
                objectName: "tag_" + modelData.id
                text: shell.pick(modelData.name)
                checked: ordering.draft.tags.indexOf(modelData.id) >= 0
                onClicked: ordering.toggleTag(modelData.id)
            }
        }
    }
    TextField {
        id: note
        objectName: "noteField"
        Layout.fillWidth: true
        Layout.preferredHeight: Theme.buttonHeight
        font.pixelSize: Theme.fontBody
        placeholderText: qsTr("其他补充（可不填）")
        maximumLength: 200
        text: ordering.draft.note
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
        onClicked: { note.focus = false; ordering.setNote(note.text); ordering.next() }
    }
}
