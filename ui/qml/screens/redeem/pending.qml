import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import "../../components"

// Sent, but no definite answer yet: the kiosk keeps asking with the same key, so points go once.
ColumnLayout {
    spacing: Theme.gap
    Item { Layout.fillHeight: true }
    BusyIndicator {
        Layout.alignment: Qt.AlignHCenter
        running: true
    }
    Text {
        objectName: "pendingText"
        Layout.fillWidth: true
        text: qsTr("网络不稳定，正在确认兑换结果，请稍候。积分只会扣一次。")
        font.pixelSize: Theme.fontLarge
        font.bold: true
        color: Theme.text
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
    }
    Text {
        Layout.fillWidth: true
        text: qsTr("如果您需要离开：确认后兑换券会自动打印，也可以下次扫码时补打。")
        font.pixelSize: Theme.fontBody
        color: Theme.textMuted
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
    }
    Item { Layout.fillHeight: true }
}
