import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import "../../components"

// One text setting: its label, the field (read-only when the platform manages it) and its problem.
ColumnLayout {
    id: field
    property string key: ""
    property string label: ""
    property alias text: input.text
    property bool digits: false
    readonly property bool remote: technician.remoteKeys.indexOf(key) >= 0
    readonly property string saved: key.length > 0 ? String(technician.values[key]) : ""
    Layout.fillWidth: true
    spacing: Theme.gap / 4

    Text {
        Layout.fillWidth: true
        text: field.label
        font.pixelSize: Theme.fontBody
        color: Theme.text
        wrapMode: Text.WordWrap
    }
    TextField {
        id: input
        objectName: field.objectName + "Input"
        Layout.fillWidth: true
        Layout.preferredHeight: Theme.touchMin
        font.pixelSize: Theme.fontBody
        text: field.saved
        readOnly: field.remote
        inputMethodHints: field.digits ? Qt.ImhFormattedNumbersOnly : Qt.ImhNone
    }
    Text {
        visible: field.remote
        Layout.fillWidth: true
        text: qsTr("由服务平台统一管理")
        font.pixelSize: Theme.fontSmall
        color: Theme.textMuted
    }
    TechMessage {
        objectName: field.objectName + "Problem"
        Layout.fillWidth: true
        font.pixelSize: Theme.fontSmall
        code: technician.fieldProblems[field.key] || ""
    }
}
