import QtQuick

// The "are you still there?" countdown. Any touch on it counts as "yes".
Rectangle {
    id: overlay
    objectName: "idleOverlay"
    visible: idle.warning
    color: Theme.overlay
    z: 1000

    MouseArea {
        anchors.fill: parent
        onClicked: idle.stillHere()
    }
    Rectangle {
        anchors.centerIn: parent
        width: parent.width * 0.84
        height: column.implicitHeight + Theme.margin * 2
        radius: Theme.radius
        color: Theme.surface
        Column {
            id: column
            anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.margin }
            spacing: Theme.gap
            Text {
                width: parent.width
                text: qsTr("还在吗？")
                font.pixelSize: Theme.fontTitle
                font.bold: true
                color: Theme.text
                horizontalAlignment: Text.AlignHCenter
            }
            Text {
                objectName: "idleSeconds"
                width: parent.width
                text: idle.secondsLeft
                font.pixelSize: Theme.fontHuge * 1.4
                font.bold: true
                color: Theme.primary
                horizontalAlignment: Text.AlignHCenter
            }
            Text {
                width: parent.width
                text: qsTr("秒后回到首页，已填写的内容会被清除。")
                font.pixelSize: Theme.fontBody
                color: Theme.text
                wrapMode: Text.WordWrap
                horizontalAlignment: Text.AlignHCenter
            }
            KioskButton {
                objectName: "stillHereButton"
                width: parent.width
                primary: true
                text: qsTr("我还在，继续")
                onClicked: idle.stillHere()
            }
        }
    }
}
