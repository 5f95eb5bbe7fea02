import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import "../components"

// A volunteer's redemption: number + PIN if needed, summary, gifts, cart, confirm, voucher.
ScreenPage {
    id: page
    objectName: "redeemScreen"
    handlesBack: true
    showBack: ["voucher", "queued", "pending"].indexOf(redemption.step) < 0
    title: {
        switch (redemption.step) {
        case "scan": return qsTr("请重新扫码")
        case "number": return qsTr("输入会员号")
        case "pin": return qsTr("输入密码")
        case "summary": return qsTr("我的积分")
        case "gifts": return qsTr("选择礼品")
        case "cart": return qsTr("已选礼品")
        case "confirm": return qsTr("确认兑换")
        case "pending": return qsTr("正在确认")
        case "queued": return qsTr("兑换已记录")
        case "voucher": return qsTr("兑换成功")
        default: return qsTr("积分兑换")
        }
    }
    // Leaving the flow ends the session, so nothing of the volunteer stays on the machine.
    onBackRequested: {
        if (!redemption.back())
            nav.home()
    }
    // Scans go to the screen on show, from the moment it starts to come in until it starts to go.
    StackView.onActivating: scanner.claim("redeem")
    StackView.onDeactivating: scanner.release("redeem")

    StepView {
        objectName: "redeemStep"
        anchors.fill: parent
        source: Qt.resolvedUrl("redeem/" + redemption.step + ".qml")
    }
}
