import QtQuick
import QtQuick.Layouts
import "../../components"

ColumnLayout {
    id: view
    spacing: Theme.gap
    property string day: ordering.draft.day
    property string part: ordering.draft.part

    Text {
        Layout.fillWidth: true
        text: qsTr("希望什么时候服务？")
        font.pixelSize: Theme.fontTitle
        font.bold: true
        color: Theme.text
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
    }
    Text {
        Layout.fillWidth: true
        text: qsTr("哪一天")
        font.pixelSize: Theme.fontLarge
        color: Theme.text
    }
    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.gap / 2
        Repeater {
            model: [{ id: "today", label: qsTr("今天") }, { id: "tomorrow", label: qsTr("明天") },
                    { id: "any", label: qsTr("都可以") }]
            delegate: Chip {
                required property var modelData
                objectName: "day_" + modelData.id
                Layout.fillWidth: true
                text: modelData.label
                checked: view.day === modelData.id
                onClicked: view.day = modelData.id
            }
        }
    }
    Text {
        Layout.fillWidth: true
        text: qsTr("上午还是下午")
        font.pixelSize: Theme.fontLarge
        color: Theme.text
    }
    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.gap / 2
        Repeater {
            model: [{ id: "morning", label: qsTr("上午") }, { id: "afternoon", label: qsTr("下午") },
                    { id: "any", label: qsTr("都可以") }]
            delegate: Chip {
                required property var modelData
                objectName: "part_" + modelData.id
                Layout.fillWidth: true
                text: modelData.label
                checked: view.part === modelData.id
                onClicked: view.part = modelData.id
            }
        }
    }
    Text {
        Layout.fillWidth: true
        text: qsTr("具体时间志愿者会打电话和您约定")
        font.pixelSize: Theme.fontBody
        color: Theme.textMuted
        wrapMode: Text.WordWrap
    }
    Item { Layout.fillHeight: true }
    KioskButton {
        objectName: "nextButton"
        Layout.fillWidth: true
        primary: true
        text: qsTr("下一步")
        onClicked: { ordering.setTime(view.day, view.part); ordering.next() }
    }
}
