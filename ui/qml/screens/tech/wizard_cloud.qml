import QtQuick
import QtQuick.Layouts
import "../../components"

// Enrolment: scan the platform's enrolment QR (SKE1:…), or type the address and the code.
ColumnLayout {
    spacing: Theme.gap

    Text {
        Layout.fillWidth: true
        text: qsTr("请在服务平台上为本站生成“设备注册码”，把二维码对准扫码口；也可以手动填写。")
        font.pixelSize: Theme.fontBody
        color: Theme.text
        wrapMode: Text.WordWrap
    }
    EnrolForm { Layout.fillWidth: true }
    Item { Layout.fillHeight: true }
}
