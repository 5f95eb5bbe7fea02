import QtQuick
import QtQuick.Layouts

// A big on-screen number pad for phone numbers and codes (no system keyboard, no input method).
GridLayout {
    id: pad
    property string value: ""
    property int maxLength: 11
    signal edited()

    columns: 3
    rowSpacing: Theme.gap / 2
    columnSpacing: Theme.gap / 2

    function press(key) {
        if (key === "del")
            value = value.slice(0, -1)
        else if (key === "clear")
            value = ""
        else if (value.length < maxLength)
            value = value + key
        edited()
    }

    Repeater {
        model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "del"]
        delegate: KioskButton {
            required property string modelData
            objectName: "key_" + modelData
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.buttonHeight
            text: modelData === "del" ? qsTr("删除") : modelData === "clear" ? qsTr("清空") : modelData
            font.pixelSize: modelData.length === 1 ? Theme.fontTitle : Theme.fontLarge
            onClicked: pad.press(modelData)
        }
    }
}
