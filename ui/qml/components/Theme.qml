pragma Singleton
import QtQuick

// Sizes scale with the window (designed at 1080 px wide, portrait); elderly mode enlarges text and
// targets and switches to a high-contrast palette.
QtObject {
    property bool elderly: false
    property real scale: 1.0

    readonly property real k: scale * (elderly ? 1.3 : 1.0)

    readonly property color background: elderly ? "#FFFFFF" : "#F6F2EA"
    readonly property color surface: "#FFFFFF"
    readonly property color text: elderly ? "#000000" : "#1F1F1F"
    readonly property color textMuted: elderly ? "#1F1F1F" : "#5A5550"
    readonly property color primary: elderly ? "#8E0000" : "#B3261E"
    readonly property color primaryText: "#FFFFFF"
    readonly property color secondary: elderly ? "#00325C" : "#1E5A8C"
    readonly property color border: elderly ? "#000000" : "#D8CFC2"
    readonly property color ok: "#1B7F3B"
    readonly property color warn: "#A05A00"
    readonly property color bad: "#B3261E"
    readonly property color overlay: "#CC000000"

    readonly property int borderWidth: elderly ? Math.round(4 * scale) : Math.round(2 * scale)
    readonly property int radius: Math.round(24 * scale)
    readonly property int gap: Math.round(24 * scale)
    readonly property int margin: Math.round(40 * scale)

    readonly property int fontSmall: Math.round(26 * k)
    readonly property int fontBody: Math.round(32 * k)
    readonly property int fontLarge: Math.round(44 * k)
    readonly property int fontTitle: Math.round(56 * k)
    readonly property int fontHuge: Math.round(84 * k)

    // Touch targets: never below ~15 mm on a 21.5" portrait panel.
    readonly property int touchMin: Math.round(96 * k)
    readonly property int buttonHeight: Math.round(120 * k)
    readonly property int headerHeight: Math.round(120 * scale * (elderly ? 1.15 : 1.0))
    readonly property int stripHeight: Math.round(56 * scale * (elderly ? 1.15 : 1.0))
}
