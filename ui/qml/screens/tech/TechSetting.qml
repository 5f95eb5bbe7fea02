import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import "../../components"

// One setting of the settings screen: text, number, a choice of chips, or on/off.
// ``value`` is what is shown now; ``dirty`` when it differs from the saved value.
ColumnLayout {
    id: setting
    required property var spec  // {key, kind: "text" | "number" | "choice" | "bool", choices: [...]}
    required property string label
    readonly property string key: spec.key
    readonly property var saved: technician.values[key]
    property var value: saved
    readonly property bool dirty: String(value) !== String(saved)
    readonly property bool remote: technician.remoteKeys.indexOf(key) >= 0
    objectName: "setting_" + key
    spacing: Theme.gap / 4

    onSavedChanged: value = saved

    Text {
        Layout.fillWidth: true
        text: setting.label
        font.pixelSize: Theme.fontBody
        color: Theme.text
        wrapMode: Text.WordWrap
    }
    TextField {
        objectName: "field_" + setting.key
        visible: setting.spec.kind === "text" || setting.spec.kind === "number"
        Layout.fillWidth: true
        Layout.preferredHeight: Theme.touchMin
        font.pixelSize: Theme.fontBody
        text: String(setting.saved)
        readOnly: setting.remote
        inputMethodHints: setting.spec.kind === "number" ? Qt.ImhFormattedNumbersOnly : Qt.ImhNoPredictiveText
        onTextEdited: setting.value = text
    }
    Flow {
        visible: setting.spec.kind === "choice" || setting.spec.kind === "bool"
        Layout.fillWidth: true
        spacing: Theme.gap / 2
        Repeater {
            model: setting.spec.kind === "bool" ? [true, false] : (setting.spec.choices || [])
            delegate: Chip {
                required property var modelData
                objectName: "choice_" + setting.key + "_" + String(modelData)
                checkable: false
                text: setting.spec.kind === "bool" ? (modelData ? qsTr("开") : qsTr("关")) : String(modelData)
                checked: String(setting.value) === String(modelData)
                enabled: !setting.remote
                onClicked: setting.value = modelData
            }
        }
    }
    Text {
        visible: setting.remote
        Layout.fillWidth: true
        text: qsTr("由服务平台统一管理，本机只读")
        font.pixelSize: Theme.fontSmall
        color: Theme.textMuted
    }
    TechMessage {
        objectName: "problem_" + setting.key
        Layout.fillWidth: true
        font.pixelSize: Theme.fontSmall
        code: technician.fieldProblems[setting.key] || ""
    }
}
