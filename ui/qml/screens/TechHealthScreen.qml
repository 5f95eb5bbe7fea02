import QtQuick
import QtQuick.Layouts
import "../components"
import "tech"

// How the machine is: each part with its state and, for a problem, what to do about it.
ScreenPage {
    id: page
    objectName: "techHealthScreen"
    title: qsTr("运行状况")

    Component.onCompleted: {
        technician.dismiss()
        technician.refreshHealth()
    }

    function label(name) {
        switch (name) {
        case "cloud": return qsTr("服务平台")
        case "outbox": return qsTr("待上传数据")
        case "rejected": return qsTr("被拒收的数据")
        case "cut_off": return qsTr("没出小票的预约")
        case "clock": return qsTr("与平台的时间差")
        case "printer": return qsTr("打印机")
        case "scanner": return qsTr("扫码器")
        case "identity": return qsTr("站点 / 设备")
        case "network": return qsTr("网络地址")
        case "version": return qsTr("程序版本")
        case "uptime": return qsTr("已运行")
        case "disk": return qsTr("磁盘剩余")
        case "database": return qsTr("数据库大小")
        default: return name
        }
    }
    function valueText(row) {
        switch (row.name) {
        case "cloud":
            var state = row.value === "online" ? qsTr("已连接") : row.value === "degraded" ? qsTr("不稳定") : qsTr("未连接")
            return row.extra ? qsTr("%1，上次同步 %2").arg(state).arg(row.extra) : qsTr("%1，还没有同步过").arg(state)
        case "outbox": return row.value > 0 ? qsTr("%1 条，最早的已等 %2 分钟").arg(row.value).arg(row.extra) : qsTr("没有")
        case "rejected": return qsTr("%1 条").arg(row.value)
        case "cut_off": return qsTr("%1 条").arg(row.value)
        case "clock": return qsTr("%1 秒").arg(row.value)
        case "printer": return row.value === "ok" ? qsTr("正常") : ""
        case "scanner": return row.value
        case "identity": return row.extra ? row.value + " / " + row.extra : qsTr("%1 / 未注册").arg(row.value)
        case "network": return row.value.length > 0 ? row.value : qsTr("没有")
        case "uptime": return qsTr("%1 小时").arg(row.value)
        case "disk": return qsTr("%1 MB").arg(row.value)
        case "database": return qsTr("%1 MB").arg(row.value)
        default: return String(row.value)
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap / 2

        ListView {
            id: list
            objectName: "techHealthList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: Theme.gap / 3
            model: technician.health
            delegate: Rectangle {
                required property var modelData
                objectName: "health_" + modelData.name
                width: list.width
                height: row.implicitHeight + Theme.gap / 2
                radius: Theme.radius / 2
                color: Theme.surface
                border.width: Theme.borderWidth
                border.color: modelData.level === "ok" ? Theme.border : modelData.level === "warn" ? Theme.warn : Theme.bad
                ColumnLayout {
                    id: row
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: Theme.gap / 2 }
                    spacing: 0
                    RowLayout {
                        Layout.fillWidth: true
                        Text {
                            text: (modelData.level === "ok" ? "● " : "▲ ") + page.label(modelData.name)
                            font.pixelSize: Theme.fontBody
                            font.bold: true
                            color: modelData.level === "ok" ? Theme.ok : modelData.level === "warn" ? Theme.warn : Theme.bad
                        }
                        Text {
                            Layout.fillWidth: true
                            horizontalAlignment: Text.AlignRight
                            text: page.valueText(modelData)
                            font.pixelSize: Theme.fontBody
                            color: Theme.text
                            elide: Text.ElideLeft
                        }
                    }
                    TechMessage {
                        Layout.fillWidth: true
                        font.pixelSize: Theme.fontSmall
                        code: modelData.problem
                        color: modelData.level === "warn" ? Theme.warn : Theme.bad
                    }
                }
            }
            footer: ColumnLayout {
                width: list.width
                spacing: Theme.gap / 4
                Text {
                    visible: technician.recentErrors.length > 0
                    topPadding: Theme.gap
                    text: qsTr("最近的错误")
                    font.pixelSize: Theme.fontLarge
                    font.bold: true
                    color: Theme.text
                }
                Repeater {
                    model: technician.recentErrors
                    delegate: Text {
                        required property string modelData
                        Layout.fillWidth: true
                        text: modelData
                        font.pixelSize: Theme.fontSmall
                        font.family: "monospace"
                        color: Theme.textMuted
                        wrapMode: Text.WrapAnywhere
                    }
                }
            }
        }
        KioskButton {
            objectName: "techHealthRefresh"
            Layout.fillWidth: true
            enabled: !technician.busy
            text: technician.busy ? qsTr("正在检查……") : qsTr("刷新")
            onClicked: technician.refreshHealth()
        }
    }
}
