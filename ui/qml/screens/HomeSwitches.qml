import QtQuick
import QtQuick.Layouts
import "../components"

// Language and elderly-mode switches, on both homes.
RowLayout {
    spacing: Theme.gap
    KioskButton {
        objectName: "elderlyButton"
        Layout.fillWidth: true
        text: shell.elderlyMode ? qsTr("标准字体") : qsTr("大字模式")
        onClicked: shell.setElderlyMode(!shell.elderlyMode)
    }
    KioskButton {
        objectName: "languageButton"
        Layout.fillWidth: true
        // Each language names itself, so a reader of either finds the way back.
        text: shell.language === "en" ? "中文" : "English"
        onClicked: shell.setLanguage(shell.language === "en" ? "zh_CN" : "en")
    }
}
