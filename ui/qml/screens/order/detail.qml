import QtQuick
import QtQuick.Layouts
import "../../components"

ColumnLayout {
    spacing: Theme.gap
    TileIcon {
        Layout.alignment: Qt.AlignHCenter
        glyph: shell.pick(ordering.service.name).charAt(0)
    }
    Text {
        Layout.fillWidth: true
        text: shell.pick(ordering.service.name)
        font.pixelSize: Theme.fontTitle
        font.bold: true
        color: Theme.text
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
    }
    Text {
        Layout.fillWidth: true
        text: shell.pick(ordering.service.description)
        font.pixelSize: Theme.fontLarge
        color: Theme.text
        wrapMode: Text.WordWrap
    }
    Text {
        Layout.fillWidth: true
        text: qsTr("服务方：%1").arg(shell.pick(ordering.service.provider))
        font.pixelSize: Theme.fontBody
        color: Theme.textMuted
        wrapMode: Text.WordWrap
    }
    Text {
        Layout.fillWidth: true
        text: ordering.service.location === "home" ? qsTr("志愿者上门服务") : qsTr("请到服务站接受服务")
        font.pixelSize: Theme.fontBody
        color: Theme.secondary
        font.bold: true
        wrapMode: Text.WordWrap
    }
    Item { Layout.fillHeight: true }
    KioskButton {
        objectName: "bookButton"
        Layout.fillWidth: true
        primary: true
        text: qsTr("我要预约")
        onClicked: ordering.next()
    }
}
