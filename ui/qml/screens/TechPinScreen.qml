import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import "../components"
import "tech"

// Technician login: the PIN on the number pad (a technician card may be scanned first).
ScreenPage {
    id: page
    objectName: "techPinScreen"
    title: qsTr("技术员登录")

    // Scans go to the screen on show, from the moment it starts to come in until it starts to go.
    StackView.onActivating: scanner.claim("tech")
    StackView.onDeactivating: scanner.release("tech")

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap

        Text {
            Layout.fillWidth: true
            text: technician.cardRead ? qsTr("已读取技术员卡，请输入密码") : qsTr("请输入技术员密码（也可以先扫技术员卡）")
            font.pixelSize: Theme.fontLarge
            color: Theme.text
            wrapMode: Text.WordWrap
            horizontalAlignment: Text.AlignHCenter
        }
        Text {
            objectName: "pinDots"
            Layout.fillWidth: true
            text: "●".repeat(pad.value.length) + "○".repeat(Math.max(0, 6 - pad.value.length))
            font.pixelSize: Theme.fontTitle
            color: Theme.text
            horizontalAlignment: Text.AlignHCenter
        }
        TechMessage {
            objectName: "techPinProblem"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            code: technician.problem === "locked" ? "" : technician.problem
        }
        Text {
            objectName: "techLockout"
            Layout.fillWidth: true
            visible: text.length > 0
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
            font.pixelSize: Theme.fontBody
            font.bold: true
            color: technician.lockedSeconds > 0 ? Theme.bad : Theme.warn
            text: {
                var s = technician.lockedSeconds
                if (s > 0)
                    return s >= 60 ? qsTr("为了安全，请等 %1 分 %2 秒后再试").arg(Math.floor(s / 60)).arg(s % 60)
                                   : qsTr("为了安全，请等 %1 秒后再试").arg(s)
                if (technician.problem === "wrong_pin")
                    return qsTr("还可以再试 %1 次，之后需要等待一会儿").arg(technician.attemptsLeft)
                return ""
            }
        }
        NumericKeypad {
            id: pad
            objectName: "techKeypad"
            Layout.fillWidth: true
            maxLength: 8
            enabled: technician.lockedSeconds === 0 && !technician.busy
        }
        KioskButton {
            objectName: "techPinOk"
            Layout.fillWidth: true
            primary: true
            enabled: pad.value.length >= 6 && technician.lockedSeconds === 0 && !technician.busy
            text: technician.busy ? qsTr("正在核对……") : qsTr("确定")
            onClicked: {
                technician.login(pad.value)
                pad.value = ""
            }
        }
        Item { Layout.fillHeight: true }
    }
}
