import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import "../components"
import "tech"

// Settings: every value checked by the config schema before it is written; what cannot change while
// running says so and offers a restart. Values the platform manages are read-only.
ScreenPage {
    id: page
    objectName: "techSettingsScreen"
    title: qsTr("设置")

    Component.onCompleted: technician.dismiss()
    // Scans go to the screen on show, from the moment it starts to come in until it starts to go.
    StackView.onActivating: scanner.claim("tech")
    StackView.onDeactivating: scanner.release("tech")

    readonly property var sections: [
        { title: qsTr("站点"), keys: [
            { key: "station.id", kind: "text" }, { key: "station.name", kind: "text" },
            { key: "station.role", kind: "choice", choices: ["ordering", "redemption"] },
            { key: "station.hotline", kind: "text" } ] },
        { title: qsTr("打印机"), keys: [
            { key: "printer.kind", kind: "choice", choices: ["usb", "serial", "network", "file", "image", "none"] },
            { key: "printer.paper_mm", kind: "choice", choices: [58, 80] },
            { key: "printer.text_mode", kind: "choice", choices: ["native", "image"] },
            { key: "printer.host", kind: "text", when: "printer.kind", is: ["network"] },
            { key: "printer.port", kind: "number", when: "printer.kind", is: ["network"] },
            { key: "printer.serial_port", kind: "text", when: "printer.kind", is: ["serial"] },
            { key: "printer.baudrate", kind: "number", when: "printer.kind", is: ["serial"] },
            { key: "printer.device_path", kind: "text", when: "printer.kind", is: ["file"] } ] },
        { title: qsTr("扫码器"), keys: [
            { key: "scanner.kind", kind: "choice", choices: ["camera", "keyboard", "serial", "simulated", "none"] },
            { key: "scanner.camera", kind: "text", when: "scanner.kind", is: ["camera", "simulated"] },
            { key: "scanner.serial_port", kind: "text", when: "scanner.kind", is: ["serial"] } ] },
        { title: qsTr("屏幕"), keys: [
            { key: "ui.idle_timeout_s", kind: "number" }, { key: "ui.idle_warning_s", kind: "number" },
            { key: "ui.language", kind: "choice", choices: ["zh_CN", "en"] },
            { key: "ui.elderly_mode", kind: "bool" } ] },
        { title: qsTr("离线兑换"), keys: [
            { key: "redemption.offline_enabled", kind: "bool" },
            { key: "redemption.offline_member_cap", kind: "number" },
            { key: "redemption.offline_kiosk_cap", kind: "number" },
            { key: "redemption.offline_max_hours", kind: "number" } ] },
        { title: qsTr("技术员"), keys: [
            { key: "technician.session_timeout_s", kind: "number" },
            { key: "technician.long_press_s", kind: "number" } ] }
    ]

    // The kinds chosen on this page (saved or not), so only the fields that kind uses are shown.
    property var chosen: ({ "printer.kind": technician.values["printer.kind"],
                            "scanner.kind": technician.values["scanner.kind"] })

    function label(key) {
        switch (key) {
        case "station.id": return qsTr("站点编号（与平台一致）")
        case "station.name": return qsTr("站点名称（屏幕和小票上显示）")
        case "station.role": return qsTr("本机用途：ordering 点单机，redemption 礼品兑换机")
        case "station.hotline": return qsTr("服务站电话（印在小票上）")
        case "printer.kind": return qsTr("打印机连接方式（image：打印成图片，用于演示）")
        case "printer.paper_mm": return qsTr("纸宽（毫米）")
        case "printer.text_mode": return qsTr("中文打印方式：native 打印机字库，image 全部按图片打印")
        case "printer.host": return qsTr("网络打印机地址")
        case "printer.port": return qsTr("网络打印机端口")
        case "printer.serial_port": return qsTr("串口打印机设备")
        case "printer.baudrate": return qsTr("串口波特率")
        case "printer.device_path": return qsTr("打印机设备文件（file 方式）")
        case "scanner.kind": return qsTr("扫码器类型")
        case "scanner.camera": return qsTr("摄像头编号或设备路径")
        case "scanner.serial_port": return qsTr("串口扫码器设备")
        case "ui.idle_timeout_s": return qsTr("无人操作多少秒后提示（秒）")
        case "ui.idle_warning_s": return qsTr("提示后倒计时多少秒回首页（秒）")
        case "ui.language": return qsTr("默认语言")
        case "ui.elderly_mode": return qsTr("默认使用长辈模式（大字）")
        case "redemption.offline_enabled": return qsTr("断网时允许兑换")
        case "redemption.offline_member_cap": return qsTr("断网时每人最多兑换积分（0 不限）")
        case "redemption.offline_kiosk_cap": return qsTr("断网时本机最多兑换积分（0 不限）")
        case "redemption.offline_max_hours": return qsTr("上次同步后多少小时内可断网兑换（0 不限）")
        case "technician.session_timeout_s": return qsTr("技术员模式无操作多少秒后退出")
        case "technician.long_press_s": return qsTr("长按左上角多少秒进入技术员模式")
        default: return key
        }
    }

    function collect() {
        var edits = {}
        for (var i = 0; i < sectionRepeater.count; i++) {
            var list = sectionRepeater.itemAt(i).settings
            for (var j = 0; j < list.count; j++) {
                var s = list.itemAt(j)
                if (s.dirty)
                    edits[s.key] = s.value
            }
        }
        return edits
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap / 2

        TechMessage {
            objectName: "techSettingsMessage"
            Layout.fillWidth: true
            code: technician.problem.length > 0 ? technician.problem : technician.notice
            good: technician.problem.length === 0
        }
        Flickable {
            id: flick
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentHeight: body.implicitHeight
            clip: true
            boundsBehavior: Flickable.StopAtBounds

            ColumnLayout {
                id: body
                width: flick.width
                spacing: Theme.gap

                Repeater {
                    id: sectionRepeater
                    model: page.sections
                    delegate: ColumnLayout {
                        required property var modelData
                        property alias settings: settingRepeater
                        Layout.fillWidth: true
                        spacing: Theme.gap / 2
                        Text {
                            text: parent.modelData.title
                            font.pixelSize: Theme.fontLarge
                            font.bold: true
                            color: Theme.secondary
                        }
                        Repeater {
                            id: settingRepeater
                            model: parent.modelData.keys
                            delegate: TechSetting {
                                required property var modelData
                                Layout.fillWidth: true
                                spec: modelData
                                label: page.label(modelData.key)
                                visible: !modelData.when || modelData.is.indexOf(String(page.chosen[modelData.when])) >= 0
                                onValueChanged: {
                                    if (page.chosen[key] !== undefined && page.chosen[key] !== value) {
                                        var next = Object.assign({}, page.chosen)
                                        next[key] = value
                                        page.chosen = next
                                    }
                                }
                            }
                        }
                    }
                }

                Text {
                    text: qsTr("测试")
                    font.pixelSize: Theme.fontLarge
                    font.bold: true
                    color: Theme.secondary
                }
                KioskButton {
                    objectName: "techTestPrint"
                    Layout.fillWidth: true
                    enabled: !technician.busy
                    text: qsTr("测试打印（按已保存的设置）")
                    font.pixelSize: Theme.fontBody
                    onClicked: technician.testPrint()
                }
                Text {
                    objectName: "techLastScan"
                    Layout.fillWidth: true
                    text: technician.lastScan.length > 0 ? qsTr("测试扫码，最近扫到：%1").arg(technician.lastScan)
                                                         : qsTr("测试扫码：把任意二维码对准扫码口，这里会显示内容")
                    font.pixelSize: Theme.fontBody
                    color: Theme.text
                    wrapMode: Text.WrapAnywhere
                }

                Text {
                    text: qsTr("服务平台注册")
                    font.pixelSize: Theme.fontLarge
                    font.bold: true
                    color: Theme.secondary
                }
                EnrolForm { Layout.fillWidth: true }

                Text {
                    text: qsTr("修改技术员密码")
                    font.pixelSize: Theme.fontLarge
                    font.bold: true
                    color: Theme.secondary
                }
                TextField {
                    id: newPin
                    objectName: "techNewPin"
                    Layout.fillWidth: true
                    Layout.preferredHeight: Theme.touchMin
                    font.pixelSize: Theme.fontBody
                    echoMode: TextInput.Password
                    inputMethodHints: Qt.ImhDigitsOnly
                    placeholderText: qsTr("新密码（6到8位数字）")
                }
                TextField {
                    id: newPinAgain
                    objectName: "techNewPinAgain"
                    Layout.fillWidth: true
                    Layout.preferredHeight: Theme.touchMin
                    font.pixelSize: Theme.fontBody
                    echoMode: TextInput.Password
                    inputMethodHints: Qt.ImhDigitsOnly
                    placeholderText: qsTr("再输入一次")
                }
                KioskButton {
                    objectName: "techChangePin"
                    Layout.fillWidth: true
                    enabled: !technician.busy && newPin.text.length > 0
                    text: qsTr("修改密码")
                    font.pixelSize: Theme.fontBody
                    onClicked: {
                        technician.changePin(newPin.text, newPinAgain.text)
                        newPin.text = ""
                        newPinAgain.text = ""
                    }
                }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap / 2
            KioskButton {
                objectName: "techSave"
                Layout.fillWidth: true
                primary: true
                enabled: !technician.busy
                text: qsTr("保存设置")
                onClicked: technician.save(page.collect())
            }
            KioskButton {
                objectName: "techRestartNow"
                visible: technician.notice === "saved_restart" || technician.notice === "enrolled"
                Layout.fillWidth: true
                text: qsTr("现在重启")
                onClicked: technician.restartApp()
            }
        }
    }
}
