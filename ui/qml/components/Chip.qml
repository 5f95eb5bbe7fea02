import QtQuick
import QtQuick.Controls.Basic

// A choice among a few (先生 / 女士, 今天 / 明天 …): large, and obviously on or off.
Button {
    id: chip
    checkable: true
    implicitHeight: Theme.touchMin
    implicitWidth: Math.max(Theme.touchMin * 1.6, label.implicitWidth + Theme.gap * 2)
    font.pixelSize: Theme.fontBody
    font.bold: true
    contentItem: Text {
        id: label
        text: (chip.checked ? "✓ " : "") + chip.text
        font: chip.font
        color: chip.checked ? Theme.primaryText : Theme.text
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
    }
    background: Rectangle {
        radius: height / 2
        color: chip.checked ? Theme.secondary : Theme.surface
        border.width: Theme.borderWidth
        border.color: chip.checked ? Theme.secondary : Theme.border
    }
}
