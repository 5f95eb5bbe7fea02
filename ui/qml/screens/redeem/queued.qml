import QtQuick
import QtQuick.Layouts
import "../../components"

// Offline: the redemption is recorded and waits for the cloud; no voucher before it confirms.
ColumnLayout {
    spacing: Theme.gap
    Text {
        objectName: "queuedText"
        Layout.fillWidth: true
        text: qsTr("兑换已记录")
        font.pixelSize: Theme.fontTitle
        font.bold: true
        color: Theme.ok
        horizontalAlignment: Text.AlignHCenter
    }
    Text {
        Layout.fillWidth: true
        text: qsTr("网络恢复后由平台确认并扣除积分。确认后，再次在本机扫码即可打印兑换券，凭券领取礼品。")
        font.pixelSize: Theme.fontLarge
        color: Theme.text
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
    }
    Item { Layout.fillHeight: true }
    Finish {
        Layout.fillWidth: true
    }
}
