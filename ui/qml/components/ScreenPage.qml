import QtQuick
import QtQuick.Controls.Basic

// Every screen: a title bar with 返回 (back) and 首页 (home), then the content.
Item {
    id: page
    property string title: ""
    property bool showBack: true
    property bool showHome: true
    // A screen that must intercept "back" (e.g. to step back inside a flow) sets this and handles
    // backRequested; otherwise back pops the screen.
    property bool handlesBack: false
    default property alias content: body.data
    signal backRequested()

    Rectangle {
        id: header
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: Theme.headerHeight
        color: Theme.surface
        border.color: Theme.border
        border.width: Theme.borderWidth

        KioskButton {
            id: backButton
            objectName: "backButton"
            visible: page.showBack
            anchors { left: parent.left; leftMargin: Theme.gap; verticalCenter: parent.verticalCenter }
            height: Theme.headerHeight - Theme.gap
            text: qsTr("‹ 返回")
            font.pixelSize: Theme.fontBody
            onClicked: page.handlesBack ? page.backRequested() : nav.back()
        }
        Text {
            anchors.centerIn: parent
            width: parent.width - 2 * Math.max(backButton.width, homeButton.width) - 4 * Theme.gap
            text: page.title
            font.pixelSize: Theme.fontLarge
            font.bold: true
            color: Theme.text
            horizontalAlignment: Text.AlignHCenter
            elide: Text.ElideRight
        }
        KioskButton {
            id: homeButton
            objectName: "homeButton"
            visible: page.showHome
            anchors { right: parent.right; rightMargin: Theme.gap; verticalCenter: parent.verticalCenter }
            height: Theme.headerHeight - Theme.gap
            text: qsTr("首页")
            font.pixelSize: Theme.fontBody
            onClicked: nav.home()
        }
    }
    Item {
        id: body
        anchors { left: parent.left; right: parent.right; top: header.bottom; bottom: parent.bottom
                  margins: Theme.margin }
    }
}
