import QtQuick
import QtQuick.Layouts
import "../components"

// Home of the redemption kiosk: show your volunteer code to the scanner.
Item {
    objectName: "homeRedemption"

    ColumnLayout {
        anchors { fill: parent; margins: Theme.margin }
        spacing: Theme.gap

        Text {
            objectName: "stationName"
            Layout.fillWidth: true
            text: shell.stationName
            font.pixelSize: Theme.fontLarge
            color: Theme.textMuted
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
        }
        Text {
            Layout.fillWidth: true
            text: qsTr("志愿者积分兑换")
            font.pixelSize: Theme.fontTitle
            font.bold: true
            color: Theme.text
            horizontalAlignment: Text.AlignHCenter
        }
        Text {
            Layout.fillWidth: true
            text: qsTr("请打开手机上的志愿者码，对准下方扫码口")
            font.pixelSize: Theme.fontLarge
            color: Theme.text
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
        }
        ScanHint {
            Layout.fillWidth: true
            Layout.fillHeight: true
        }
        KioskButton {
            objectName: "browseGiftsButton"
            Layout.fillWidth: true
            text: qsTr("先看看有哪些礼品")
            onClicked: nav.push("GiftsScreen")
        }
        HomeSwitches {
            Layout.fillWidth: true
        }
    }
}
