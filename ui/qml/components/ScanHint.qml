import QtQuick

// A phone moving down towards the scan window, over and over: where to hold the code.
Item {
    id: hint
    clip: true

    Rectangle {
        id: scanWindow
        anchors { horizontalCenter: parent.horizontalCenter; bottom: parent.bottom }
        width: Math.min(parent.width * 0.7, Theme.touchMin * 6)
        height: Theme.touchMin * 0.9
        radius: Theme.radius / 2
        color: Theme.secondary
        Text {
            anchors.centerIn: parent
            text: qsTr("扫码口 ↓")
            color: "#FFFFFF"
            font.pixelSize: Theme.fontBody
            font.bold: true
        }
    }
    Rectangle {
        id: phone
        anchors.horizontalCenter: parent.horizontalCenter
        width: Math.min(hint.height * 0.42, Theme.touchMin * 3)
        height: width * 1.8
        radius: width * 0.12
        color: "#2B2B2B"
        Rectangle {
            anchors { fill: parent; margins: parent.width * 0.07 }
            radius: parent.radius * 0.6
            color: "#FFFFFF"
            Grid {
                anchors.centerIn: parent
                columns: 5
                Repeater {
                    model: [1,1,1,0,1, 1,0,1,1,0, 1,1,1,0,1, 0,1,0,1,1, 1,0,1,1,1]
                    Rectangle {
                        required property int modelData
                        width: phone.width * 0.14; height: width
                        color: modelData ? "#000000" : "#FFFFFF"
                    }
                }
            }
        }
        SequentialAnimation on y {
            loops: Animation.Infinite
            running: hint.visible
            NumberAnimation { from: 0; to: Math.max(0, hint.height - phone.height - scanWindow.height * 1.2)
                              duration: 1600; easing.type: Easing.InOutQuad }
            PauseAnimation { duration: 900 }
            NumberAnimation { to: 0; duration: 500 }
        }
    }
}
