import QtQuick
import QtQuick.Layouts
import "../../components"

// Confirmed by the cloud: the pickup code (核销码), what was redeemed, the new balance, the validity,
// where to collect, and whether the voucher printed.
ColumnLayout {
    id: view
    spacing: Theme.gap * 0.5
    readonly property var v: redemption.voucher

    Text {
        Layout.fillWidth: true
        text: qsTr("核销码")
        font.pixelSize: Theme.fontLarge
        color: Theme.textMuted
        horizontalAlignment: Text.AlignHCenter
    }
    Text {
        objectName: "pickupCode"
        Layout.fillWidth: true
        text: view.v.pickupSpaced || ""
        font.pixelSize: Theme.fontHuge
        font.bold: true
        color: Theme.primary
        horizontalAlignment: Text.AlignHCenter
    }
    Text {
        objectName: "redemptionNo"
        Layout.fillWidth: true
        text: qsTr("兑换单号 %1").arg(view.v.redemption_no || "")
        font.pixelSize: Theme.fontBody
        color: Theme.textMuted
        horizontalAlignment: Text.AlignHCenter
    }
    Repeater {
        model: view.v.items || []
        Text {
            required property var modelData
            Layout.fillWidth: true
            text: shell.pick(modelData.name) + " ×" + modelData.qty + "   " + qsTr("%1 积分").arg(modelData.points)
            font.pixelSize: Theme.fontBody
            color: Theme.text
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.WordWrap
        }
    }
    Text {
        objectName: "voucherBalance"
        Layout.fillWidth: true
        text: qsTr("剩余积分 %1").arg(view.v.balance_after)
        font.pixelSize: Theme.fontLarge
        font.bold: true
        color: Theme.text
        horizontalAlignment: Text.AlignHCenter
    }
    Text {
        objectName: "voucherValidity"
        Layout.fillWidth: true
        text: qsTr("请于 %1 前到 %2 领取").arg(view.v.valid_until_date || "").arg(shell.pick(view.v.pickup_location))
        font.pixelSize: Theme.fontBody
        color: Theme.text
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
    }
    Text {
        objectName: "printOutcome"
        Layout.fillWidth: true
        text: view.v.printed ? qsTr("兑换券已打印，请从下方出纸口取走。")
                             : problemText(view.v.printProblem) + qsTr("请记下核销码，或用手机拍下二维码，凭它领取。")
        function problemText(kind) {
            switch (kind) {
            case "paper_out": return qsTr("打印机缺纸，兑换券没有打出来。")
            case "cover_open": return qsTr("打印机盖没关好，兑换券没有打出来。")
            case "offline": return qsTr("打印机没有连接，兑换券没有打出来。")
            case "not_configured": return qsTr("本机没有打印机。")
            default: return qsTr("打印机出了故障，兑换券没有打出来。")
            }
        }
        font.pixelSize: Theme.fontBody
        font.bold: !view.v.printed
        color: view.v.printed ? Theme.ok : Theme.bad
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
    }
    Image {
        objectName: "voucherQr"
        Layout.alignment: Qt.AlignHCenter
        Layout.preferredWidth: view.v.printed ? Theme.touchMin * 2 : Theme.touchMin * 3.5
        Layout.preferredHeight: Layout.preferredWidth
        sourceSize: Qt.size(width, height)
        smooth: false
        source: view.v.qr ? "image://qr/" + encodeURIComponent(view.v.qr) : ""
    }
    Item { Layout.fillHeight: true }
    Finish {
        Layout.fillWidth: true
    }
}
