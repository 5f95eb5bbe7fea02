import QtQuick
import QtQuick.Layouts
import "../components"

// Home of the ordering kiosk: three large choices and the language / elderly-mode switches.
Item {
    objectName: "homeOrdering"

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
            text: qsTr("您好！需要什么帮助？")
            font.pixelSize: Theme.fontTitle
            font.bold: true
            color: Theme.text
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
        }
        KioskButton {
            objectName: "orderButton"
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.maximumHeight: Theme.buttonHeight * 2.6
            primary: true
            font.pixelSize: Theme.fontTitle
            glyph: qsTr("点")
            text: qsTr("我要点单")
            subtitle: qsTr("预约志愿服务：助老、助残、维修、法律咨询……")
            onClicked: nav.push("CategoriesScreen")
        }
        KioskButton {
            objectName: "trackButton"
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.maximumHeight: Theme.buttonHeight * 2.6
            glyph: qsTr("查")
            text: qsTr("查询 / 评价")
            subtitle: qsTr("扫描小票上的二维码，查看进度、评价服务")
            onClicked: nav.push("TrackScreen")
        }
        KioskButton {
            objectName: "phoneOrderButton"
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.maximumHeight: Theme.buttonHeight * 2.6
            glyph: qsTr("扫")
            text: qsTr("手机扫码点单")
            subtitle: qsTr("用自己的手机下单")
            onClicked: nav.push("PhoneOrderScreen")
        }
        HomeSwitches {
            Layout.fillWidth: true
        }
    }
}
