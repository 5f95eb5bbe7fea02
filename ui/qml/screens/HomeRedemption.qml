import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import "../components"

// Home of the redemption kiosk: show your volunteer code to the scanner (or type number + PIN).
Item {
    id: home
    objectName: "homeRedemption"

    // Scanning stays on through the whole flow: the same volunteer may scan again at any step.
    // Scans go to the screen on show, from the moment it starts to come in until it starts to go.
    StackView.onActivating: scanner.claim("redeem")
    StackView.onDeactivating: scanner.release("redeem")

    Connections {
        target: redemption
        function onOpened() {
            const view = home.StackView.view
            if (!view || (view.currentItem && view.currentItem.objectName === "redeemScreen"))
                return
            // From the home screen, or from browsing gifts before scanning.
            if (view.currentItem === home)
                nav.push("RedeemScreen")
            else
                nav.replace("RedeemScreen", {})
        }
    }

    ColumnLayout {
        anchors { fill: parent; margins: Theme.margin }
        spacing: Theme.gap

        Text {
            objectName: "stationName"
            Layout.fillWidth: true
            text: shell.stationName
            font.pixelSize: Theme.fontLarge
            color: Theme.textMuted
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
        }
        Text {
            Layout.fillWidth: true
            text: qsTr("志愿者积分兑换")
            font.pixelSize: Theme.fontTitle
            font.bold: true
            color: Theme.text
            horizontalAlignment: Text.AlignHCenter
        }
        Text {
            objectName: "scanInstructions"
            Layout.fillWidth: true
            text: qsTr("请打开手机上的志愿者码，对准下方扫码口")
            font.pixelSize: Theme.fontLarge
            font.bold: true
            color: Theme.text
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
        }
        ScanHint {
            Layout.fillWidth: true
            Layout.fillHeight: true
        }
        Text {
            objectName: "checkingCode"
            Layout.fillWidth: true
            visible: redemption.busy
            text: qsTr("正在识别，请稍候…")
            font.pixelSize: Theme.fontLarge
            color: Theme.secondary
            horizontalAlignment: Text.AlignHCenter
        }
        ProblemText {
            objectName: "homeProblem"
            Layout.fillWidth: true
            code: redemption.step === "scan" && !redemption.busy ? redemption.problem : ""
        }
        KioskButton {
            objectName: "manualEntryButton"
            Layout.fillWidth: true
            text: qsTr("没有手机？输入会员号和密码")
            enabled: !redemption.busy
            onClicked: {
                redemption.startManual()
                nav.push("RedeemScreen")
            }
        }
        KioskButton {
            objectName: "browseGiftsButton"
            Layout.fillWidth: true
            text: qsTr("先看看有哪些礼品")
            onClicked: nav.push("GiftsScreen")
        }
        HomeSwitches {
            Layout.fillWidth: true
        }
    }
}
