import QtQuick
import QtQuick.Controls.Basic
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings
import "components"

ApplicationWindow {
    id: window
    objectName: "mainWindow"
    width: 1080
    height: 1920
    visible: true
    color: Theme.background
    title: qsTr("社区志愿服务站")

    Binding { target: Theme; property: "elderly"; value: shell.elderlyMode }
    Binding { target: Theme; property: "scale"; value: Math.min(window.width / 1080, window.height / 1920) }
    // Outside the home screen, or while typing, the idle countdown runs (technician mode has its own).
    Binding { target: idle; property: "active"; value: (stack.depth > 1 || keyboardShown) && !technician.active }
    // The on-screen keyboard is built when a text field first takes the focus, not at start: it is the
    // dearest part of the first frame, and most residents never type.
    readonly property bool keyboardShown: keyboardLoader.item !== null && keyboardLoader.item.active
    readonly property bool wantsText: activeFocusItem !== null && "inputMethodHints" in activeFocusItem
    onWantsTextChanged: if (wantsText) keyboardLoader.active = true

    function screenUrl(name) { return Qt.resolvedUrl("screens/" + name + ".qml") }

    Connections {
        target: nav
        function onPushRequested(name, props) { stack.push(window.screenUrl(name), props) }
        function onReplaceRequested(name, props) { stack.replace(window.screenUrl(name), props) }
        function onBackRequested() {
            if (stack.depth > 1)
                stack.pop()
        }
        function onHomeRequested() {
            stack.pop(null)
            shell.resetSession()
        }
    }
    Connections {
        target: idle
        function onTimedOut() { nav.home() }
    }
    Connections {
        target: technician
        function onEntered(name) { nav.replace(name, {}) }
        function onEntryRequested(name) { nav.push(name) }
        function onSessionEnded() { nav.home() }
    }

    StatusStrip {
        id: strip
        anchors { left: parent.left; right: parent.right; top: parent.top }
    }
    StackView {
        id: stack
        objectName: "stack"
        anchors { left: parent.left; right: parent.right; top: strip.bottom; bottom: keyboardShown ? keyboardLoader.top : parent.bottom }
        Component.onCompleted: {
            push(window.screenUrl(shell.role === "redemption" ? "HomeRedemption" : "HomeOrdering"))
            if (technician.setupAtStart)
                push(window.screenUrl(technician.entryScreen()))
        }
    }
    // Technician entry: hold the top-left corner of the status strip (nothing a resident taps is there).
    MouseArea {
        objectName: "techCorner"
        anchors { left: parent.left; top: parent.top }
        width: Theme.touchMin * 1.5
        height: Theme.stripHeight
        z: 600
        pressAndHoldInterval: technician.longPressMs
        onPressAndHold: {
            if (!technician.active)
                nav.push(technician.entryScreen())
        }
    }
    DemoPanel {
        anchors { left: parent.left; right: parent.right; top: parent.top; bottom: stack.bottom }
        z: 500
    }
    IdleOverlay {
        anchors.fill: parent
    }
    Loader {
        id: keyboardLoader
        active: false
        anchors { left: parent.left; right: parent.right }
        y: window.keyboardShown ? parent.height - height : parent.height
        visible: window.keyboardShown
        sourceComponent: InputPanel {
            objectName: "inputPanel"
            width: keyboardLoader.width
            visible: active
            Component.onCompleted: {
                VirtualKeyboardSettings.activeLocales = ["zh_CN", "en_US"]
                VirtualKeyboardSettings.locale = shell.language === "en" ? "en_US" : "zh_CN"
            }
            Connections {
                target: shell
                function onLanguageChanged() {
                    VirtualKeyboardSettings.locale = shell.language === "en" ? "en_US" : "zh_CN"
                }
            }
        }
    }
}
