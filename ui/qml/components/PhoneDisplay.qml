import QtQuick

// The number being typed, grouped 3-4-4 so it is easy to check against a phone book.
Rectangle {
    property string digits: ""
    property string placeholder: ""
    implicitHeight: Theme.buttonHeight
    radius: Theme.radius
    color: Theme.surface
    border.width: Theme.borderWidth * 1.5
    border.color: Theme.secondary
    Text {
        anchors.centerIn: parent
        text: parent.digits.length > 0
              ? parent.digits.replace(/^(\d{3})(\d{0,4})(\d{0,4}).*$/, "$1 $2 $3").trim()
              : parent.placeholder
        color: parent.digits.length > 0 ? Theme.text : Theme.textMuted
        font.pixelSize: parent.digits.length > 0 ? Theme.fontTitle : Theme.fontBody
        font.bold: parent.digits.length > 0
        font.letterSpacing: parent.digits.length > 0 ? Theme.gap / 6 : 0
    }
}
