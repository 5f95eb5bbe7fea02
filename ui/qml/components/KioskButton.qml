import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

// A large touch target: a label, an optional sub-label and an optional round emblem on the left.
Button {
    id: control
    property string subtitle: ""
    property string glyph: ""
    property bool primary: false
    property color tint: primary ? Theme.primary : Theme.surface
    readonly property color ink: primary ? Theme.primaryText : Theme.text

    implicitHeight: Math.max(subtitle.length > 0 ? Theme.buttonHeight * 1.5 : Theme.buttonHeight,
                             contentItem.implicitHeight + Theme.gap)
    implicitWidth: Math.max(Theme.touchMin * 2, contentItem.implicitWidth + Theme.gap * 2)
    font.pixelSize: Theme.fontLarge
    font.bold: true
    padding: Theme.gap

    contentItem: Item {
        implicitWidth: row.implicitWidth
        implicitHeight: row.implicitHeight
        RowLayout {
            id: row
            anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter }
            spacing: Theme.gap
            TileIcon {
                visible: control.glyph.length > 0
                glyph: control.glyph
                tint: control.primary ? Theme.primaryText : Theme.primary
                textColor: control.primary ? Theme.primary : Theme.primaryText
            }
            ColumnLayout {
                Layout.fillWidth: true
                spacing: Theme.gap / 4
                Text {
                    Layout.fillWidth: true
                    text: control.text
                    font: control.font
                    color: control.ink
                    horizontalAlignment: control.glyph.length > 0 ? Text.AlignLeft : Text.AlignHCenter
                    wrapMode: Text.WordWrap
                }
                Text {
                    visible: control.subtitle.length > 0
                    Layout.fillWidth: true
                    text: control.subtitle
                    font.pixelSize: Theme.fontSmall
                    color: control.primary ? Theme.primaryText : Theme.textMuted
                    horizontalAlignment: control.glyph.length > 0 ? Text.AlignLeft : Text.AlignHCenter
                    wrapMode: Text.WordWrap
                }
            }
        }
    }
    background: Rectangle {
        radius: Theme.radius
        color: control.enabled ? (control.down ? Qt.darker(control.tint, 1.15) : control.tint) : "#D0D0D0"
        border.width: control.primary ? 0 : Theme.borderWidth
        border.color: Theme.border
    }
}
