import QtQuick

// One step of a flow, loaded from a file. Large text can make a step taller than the screen: then it
// scrolls instead of hiding the button at its bottom.
Flickable {
    id: flick
    property alias source: loader.source
    readonly property alias item: loader.item
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
