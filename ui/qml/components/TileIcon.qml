import QtQuick

// A round emblem with one character: readable at any size, needs no emoji or image font.
Rectangle {
    property string glyph: ""
    property color tint: Theme.primary
    property color textColor: "#FFFFFF"
    implicitWidth: Theme.touchMin * 1.2
    implicitHeight: implicitWidth
    width: implicitWidth
    height: implicitHeight
    radius: width / 2
    color: tint
    Text {
        anchors.centerIn: parent
        text: parent.glyph
        color: parent.textColor
        font.pixelSize: parent.width * 0.5
        font.bold: true
    }
}
