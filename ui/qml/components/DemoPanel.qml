import QtQuick
import QtQuick.Controls.Basic

// Demo only: a corner button that opens sample codes to "show" to the simulated scanner.
Item {
    id: panel
    visible: demo.enabled
    property bool open: false

    Button {
        objectName: "demoToggle"
        id: toggle
        // In the status strip, left of the clock: never over a resident's button.
        anchors { right: parent.right; rightMargin: Theme.fontSmall * 4; top: parent.top }
        height: Theme.stripHeight
        text: panel.open ? qsTr("关闭演示") : qsTr("演示：模拟扫码")
        font.pixelSize: Theme.fontSmall
        opacity: 0.85
        onClicked: panel.open = !panel.open
    }
    Rectangle {
        visible: panel.open
        anchors { right: parent.right; top: toggle.bottom; margins: Theme.gap / 2 }
        width: parent.width * 0.7
        height: list.contentHeight + Theme.gap
        radius: Theme.radius / 2
        color: "#F0303030"
        ListView {
            id: list
            anchors { fill: parent; margins: Theme.gap / 2 }
            interactive: false
            spacing: Theme.gap / 3
            model: demo.labels
            delegate: Button {
                required property string modelData
                required property int index
                objectName: "demoSample_" + index
                width: list.width
                text: modelData
                font.pixelSize: Theme.fontSmall
                onClicked: { demo.scan(index); panel.open = false }
            }
        }
    }
}
