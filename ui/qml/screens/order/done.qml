import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import "../../components"

// The order is stored: its code, whether the receipt printed, and what happens next.
ColumnLayout {
    spacing: Theme.gap * 0.8
    readonly property var r: ordering.result
    readonly property string code: r.order_code ? r.order_code : r.client_code

    Text {
        Layout.fillWidth: true
        text: qsTr("预约号")
        font.pixelSize: Theme.fontLarge
        color: Theme.textMuted
        horizontalAlignment: Text.AlignHCenter
    }
    Text {
        objectName: "orderCode"
        Layout.fillWidth: true
        text: parent.code
        font.pixelSize: Theme.fontHuge
        font.bold: true
        color: Theme.primary
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WrapAnywhere
    }
    Text {
        objectName: "pendingSync"
        Layout.fillWidth: true
        visible: !parent.r.synced
        text: qsTr("待同步：网络恢复后自动上传，预约号不变")
        font.pixelSize: Theme.fontBody
        font.bold: true
        color: Theme.warn
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
    }
    Text {
        objectName: "printOutcome"
        Layout.fillWidth: true
        text: parent.r.printed ? qsTr("小票已打印，请从下方出纸口取走。")
                               : printProblem(parent.r.print_problem) + qsTr("请用手机拍下这个二维码，凭它查询进度。")
        function printProblem(kind) {
            switch (kind) {
            case "paper_out": return qsTr("打印机缺纸，小票没有打出来。")
            case "cover_open": return qsTr("打印机盖没关好，小票没有打出来。")
            case "offline": return qsTr("打印机没有连接，小票没有打出来。")
            case "not_configured": return qsTr("本机没有打印机。")
            default: return qsTr("打印机出了故障，小票没有打出来。")
            }
        }
        font.pixelSize: Theme.fontBody
        font.bold: !parent.r.printed
        color: parent.r.printed ? Theme.ok : Theme.bad
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
    }
    Image {
        objectName: "receiptQr"
        Layout.alignment: Qt.AlignHCenter
        Layout.preferredWidth: parent.r.printed ? Theme.touchMin * 2.5 : Theme.touchMin * 4.5
        Layout.preferredHeight: Layout.preferredWidth
        sourceSize: Qt.size(width, height)
        smooth: false
        source: parent.r.receipt_qr ? "image://qr/" + encodeURIComponent(parent.r.receipt_qr) : ""
    }
    Text {
        Layout.fillWidth: true
        text: qsTr("接下来：服务站会派志愿者，志愿者接单后会打电话给 %1。").arg(parent.r.phone_masked)
        font.pixelSize: Theme.fontBody
        color: Theme.text
        wrapMode: Text.WordWrap
    }
    Item { Layout.fillHeight: true }
    KioskButton {
        objectName: "receiptPreviewButton"
        Layout.fillWidth: true
        visible: (parent.r.receipt_image || "").length > 0
        text: qsTr("在屏幕上看看小票")
        font.pixelSize: Theme.fontBody
        onClicked: preview.open = true
    }
    KioskButton {
        objectName: "finishButton"
        Layout.fillWidth: true
        primary: true
        text: qsTr("完成（%1秒后自动返回）").arg(countdown.left)
        onClicked: nav.home()
    }
    Timer {
        id: countdown
        property int left: shell.doneScreenSeconds
        interval: 1000
        repeat: true
        running: true
        onTriggered: {
            left -= 1
            if (left <= 0)
                nav.home()
        }
    }
    // The image printer's receipt, full height, for the demo and for checking a printer's output.
    Rectangle {
        id: preview
        objectName: "receiptPreview"
        property bool open: false
        parent: Overlay.overlay
        anchors.fill: parent
        visible: open
        color: Theme.overlay
        z: 900
        MouseArea { anchors.fill: parent; onClicked: preview.open = false }
        Image {
            anchors { fill: parent; margins: Theme.margin; bottomMargin: Theme.buttonHeight + Theme.margin * 2 }
            fillMode: Image.PreserveAspectFit
            source: preview.open ? (ordering.result.receipt_image || "") : ""
            cache: false
        }
        KioskButton {
            objectName: "closePreviewButton"
            anchors { left: parent.left; right: parent.right; bottom: parent.bottom; margins: Theme.margin }
            text: qsTr("关闭")
            onClicked: preview.open = false
        }
    }
}
