import QtQuick
import QtQuick.Layouts
import "../../components"

ColumnLayout {
    spacing: Theme.gap
    Item { Layout.fillHeight: true }
    Text {
        Layout.fillWidth: true
        text: "★"
        font.pixelSize: Theme.fontHuge * 1.5
        color: "#E0A000"
        horizontalAlignment: Text.AlignHCenter
    }
    Text {
        objectName: "thanksText"
        Layout.fillWidth: true
        text: qsTr("谢谢您的评价！您的意见会转给服务站和志愿者。")
        font.pixelSize: Theme.fontTitle
        font.bold: true
        color: Theme.text
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
    }
    Item { Layout.fillHeight: true }
    KioskButton {
        objectName: "doneButton"
        Layout.fillWidth: true
        primary: true
        text: qsTr("返回首页")
        onClicked: nav.home()
    }
}
