import QtQuick
import QtQuick.Layouts
import "../components"
import "tech"

// Technician mode: health, settings and the maintenance actions. Back or home leaves technician mode.
ScreenPage {
    id: page
    objectName: "techMenuScreen"
    title: qsTr("技术员模式")
    handlesBack: true
    onBackRequested: nav.home()
    Component.onCompleted: technician.dismiss()

    Flickable {
        anchors.fill: parent
        contentHeight: column.implicitHeight
        clip: true
        boundsBehavior: Flickable.StopAtBounds

        ColumnLayout {
            id: column
            width: parent.width
            spacing: Theme.gap / 2

            Text {
                Layout.fillWidth: true
                text: shell.stationName + " · " + (shell.role === "redemption" ? qsTr("礼品兑换机") : qsTr("点单机"))
                      + " · " + qsTr("版本 %1").arg(shell.version)
                font.pixelSize: Theme.fontSmall
                color: Theme.textMuted
                wrapMode: Text.WordWrap
            }
            TechMessage {
                objectName: "techMenuMessage"
                Layout.fillWidth: true
                code: technician.problem.length > 0 ? technician.problem : technician.notice
                good: technician.problem.length === 0
            }
            GridLayout {
                Layout.fillWidth: true
                columns: 2
                columnSpacing: Theme.gap / 2
                rowSpacing: Theme.gap / 2
                Repeater {
                    model: [
                        { name: "techHealth", text: qsTr("运行状况"), sub: qsTr("网络、打印机、扫码器、存储") },
                        { name: "techSettings", text: qsTr("设置"), sub: qsTr("站点、平台、打印机、扫码器、密码") },
                        { name: "techSyncNow", text: qsTr("立即同步"), sub: qsTr("马上上传数据、更新目录") },
                        { name: "techReprint", text: qsTr("补打小票"), sub: qsTr("补打最近一张，标“补打”") },
                        { name: "techDiagnostic", text: qsTr("打印诊断小票"), sub: qsTr("本机信息和测试二维码") },
                        { name: "techLogs", text: qsTr("查看日志"), sub: qsTr("可导出到U盘") },
                        { name: "techRestart", text: qsTr("重启程序"), sub: qsTr("约10秒后回到首页") },
                        { name: "techQuit", text: qsTr("退出到桌面"), sub: qsTr("维护用，需要键盘或远程登录") }
                    ]
                    delegate: KioskButton {
                        required property var modelData
                        objectName: modelData.name
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1
                        text: modelData.text
                        subtitle: modelData.sub
                        font.pixelSize: Theme.fontBody
                        enabled: !technician.busy
                        onClicked: page.act(modelData.name)
                    }
                }
            }
        }
    }

    function act(name) {
        switch (name) {
        case "techHealth": nav.push("TechHealthScreen"); break
        case "techSettings": nav.push("TechSettingsScreen"); break
        case "techSyncNow": technician.syncNow(); break
        case "techReprint": technician.reprintLast(); break
        case "techDiagnostic": technician.printDiagnostic(); break
        case "techLogs": nav.push("TechLogsScreen"); break
        case "techRestart": technician.restartApp(); break
        case "techQuit": technician.quitToDesktop(); break
        }
    }
}
