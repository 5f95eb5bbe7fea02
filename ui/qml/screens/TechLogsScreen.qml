import QtQuick
import QtQuick.Layouts
import "../components"
import "tech"

// The newest log lines, and exporting all logs to a USB stick.
ScreenPage {
    id: page
    objectName: "techLogsScreen"
    title: qsTr("日志")

    Component.onCompleted: {
        technician.dismiss()
        technician.loadLogs()
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap / 2

        TechMessage {
            objectName: "techLogsMessage"
            Layout.fillWidth: true
            code: technician.problem.length > 0 ? technician.problem : technician.notice
            good: technician.problem.length === 0
        }
        ListView {
            id: list
            objectName: "techLogList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: technician.logLines
            Component.onCompleted: positionViewAtEnd()
            delegate: Text {
                required property string modelData
                width: list.width
                text: modelData
                font.pixelSize: Theme.fontSmall * 0.8
                font.family: "monospace"
                color: modelData.indexOf(" ERROR ") >= 0 || modelData.indexOf(" WARNING ") >= 0 ? Theme.bad : Theme.text
                wrapMode: Text.WrapAnywhere
            }
            Text {
                anchors.centerIn: parent
                visible: list.count === 0
                text: qsTr("还没有日志")
                font.pixelSize: Theme.fontBody
                color: Theme.textMuted
            }
        }
        KioskButton {
            objectName: "techExportLogs"
            Layout.fillWidth: true
            primary: true
            enabled: !technician.busy
            text: qsTr("导出全部日志到U盘")
            onClicked: technician.exportLogs()
        }
    }
}
