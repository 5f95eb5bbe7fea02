import QtQuick
import QtQuick.Layouts
import "../../components"

// Saved and enrolled: a restart starts syncing with the new settings.
ColumnLayout {
    spacing: Theme.gap

    Text {
        Layout.fillWidth: true
        text: qsTr("本机已注册到服务平台。重新启动后开始同步目录和数据。")
        font.pixelSize: Theme.fontLarge
        color: Theme.text
        wrapMode: Text.WordWrap
    }
    KioskButton {
        objectName: "techWizardRestart"
        Layout.fillWidth: true
        primary: true
        text: qsTr("现在重新启动")
        onClicked: technician.restartApp()
    }
    KioskButton {
        objectName: "techWizardMenu"
        Layout.fillWidth: true
        text: qsTr("先检查打印机和扫码器")
        onClicked: nav.replace("TechMenuScreen", {})
    }
    Item { Layout.fillHeight: true }
}
