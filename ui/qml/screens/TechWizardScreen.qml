import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import "../components"
import "tech"

// First start of an unconfigured kiosk: technician PIN, station and role, cloud enrolment.
ScreenPage {
    id: page
    objectName: "techWizardScreen"
    title: qsTr("本机设置向导")
    handlesBack: true
    showBack: technician.wizardStep !== "done"
    onBackRequested: {
        if (!technician.wizardBack())
            nav.home()
    }

    // Scans go to the screen on show, from the moment it starts to come in until it starts to go.
    StackView.onActivating: scanner.claim("tech")
    StackView.onDeactivating: scanner.release("tech")

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap
        Text {
            Layout.fillWidth: true
            text: {
                switch (technician.wizardStep) {
                case "pin": return qsTr("第一步：设置技术员密码（6到8位数字），以后进入技术员模式要用")
                case "station": return qsTr("第二步：本机所在的站点和用途")
                case "cloud": return qsTr("第三步：注册到服务平台")
                default: return qsTr("设置完成")
                }
            }
            font.pixelSize: Theme.fontLarge
            font.bold: true
            color: Theme.text
            wrapMode: Text.WordWrap
        }
        TechMessage {
            objectName: "techWizardMessage"
            Layout.fillWidth: true
            code: technician.problem.length > 0 ? technician.problem : technician.notice
            good: technician.problem.length === 0
        }
        StepView {
            objectName: "techWizardStep"
            Layout.fillWidth: true
            Layout.fillHeight: true
            source: Qt.resolvedUrl("tech/wizard_" + technician.wizardStep + ".qml")
        }
        KioskButton {
            objectName: "techWizardLater"
            visible: technician.active && technician.wizardStep !== "done"
            Layout.fillWidth: true
            text: qsTr("稍后再设置，进入技术员模式")
            font.pixelSize: Theme.fontBody
            onClicked: nav.replace("TechMenuScreen", {})
        }
    }
}
