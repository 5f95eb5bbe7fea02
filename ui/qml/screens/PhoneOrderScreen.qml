import QtQuick
import QtQuick.Layouts
import "../components"

// A QR that opens ordering for this station on the resident's own phone.
ScreenPage {
    objectName: "phoneOrderScreen"
    title: qsTr("手机扫码点单")

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap
        Text {
            Layout.fillWidth: true
            text: qsTr("打开微信，扫一扫下面的二维码，就能在手机上点单。")
            font.pixelSize: Theme.fontLarge
            color: Theme.text
            wrapMode: Text.WordWrap
            horizontalAlignment: Text.AlignHCenter
        }
        Image {
            objectName: "phoneOrderQr"
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: Math.min(parent.width * 0.8, Theme.touchMin * 7)
            Layout.preferredHeight: Layout.preferredWidth
            sourceSize: Qt.size(width, height)
            fillMode: Image.PreserveAspectFit
            smooth: false
            visible: catalogue.phoneOrderUrl.length > 0
            source: visible ? "image://qr/" + encodeURIComponent(catalogue.phoneOrderUrl) : ""
        }
        Text {
            Layout.fillWidth: true
            visible: catalogue.phoneOrderUrl.length === 0
            text: qsTr("手机点单暂不可用，请在本机点单。")
            font.pixelSize: Theme.fontLarge
            color: Theme.warn
            wrapMode: Text.WordWrap
            horizontalAlignment: Text.AlignHCenter
        }
        Text {
            Layout.fillWidth: true
            text: qsTr("不会用手机也没关系，返回后点“我要点单”。")
            font.pixelSize: Theme.fontBody
            color: Theme.textMuted
            wrapMode: Text.WordWrap
            horizontalAlignment: Text.AlignHCenter
        }
        Item { Layout.fillHeight: true }
    }
}
