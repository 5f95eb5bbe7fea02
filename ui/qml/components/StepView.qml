import QtQuick

// One step of a flow, loaded from a file. Large text can make a step taller than the screen: then it
// scrolls instead of hiding the button at its bottom, and a bar says there is more below.
Item {
    id: view
    property alias source: loader.source
    readonly property alias item: loader.item

    Flickable {
        id: flick
        anchors.fill: parent
        clip: true
        contentHeight: loader.height
        boundsBehavior: Flickable.StopAtBounds
        Loader {
            id: loader
            width: flick.width
            height: Math.max(flick.height, item ? item.implicitHeight : 0)
            onLoaded: flick.contentY = 0
        }
    }
    Rectangle {
        objectName: "moreBelow"
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: Theme.touchMin * 0.8
        visible: flick.contentY + flick.height < flick.contentHeight - 4
        color: Theme.secondary
        opacity: 0.92
        radius: Theme.radius / 2
        Text {
            anchors.centerIn: parent
            text: qsTr("下面还有内容，请用手指向上滑 ↑")
            color: "#FFFFFF"
            font.pixelSize: Theme.fontBody
            font.bold: true
        }
        MouseArea {
            anchors.fill: parent
            onClicked: flick.contentY = flick.contentHeight - flick.height
        }
    }
}
