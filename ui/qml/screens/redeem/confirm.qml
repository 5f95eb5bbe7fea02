import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import "../../components"

// Last look: what, how many points, the balance before and after. Then one press redeems.
ColumnLayout {
    spacing: Theme.gap * 0.6
    Repeater {
        model: redemption.cart
        RowLayout {
            required property var modelData
            Layout.fillWidth: true
            Text {
                Layout.fillWidth: true
                text: shell.pick(modelData.name) + " ×" + modelData.qty
                font.pixelSize: Theme.fontBody
                font.bold: true
                color: Theme.text
                wrapMode: Text.WordWrap
            }
            Text {
                text: qsTr("%1 积分").arg(modelData.linePoints)
                font.pixelSize: Theme.fontBody
                color: Theme.text
            }
        }
    }
    Rectangle { Layout.fillWidth: true; height: Theme.borderWidth; color: Theme.border }
    Balance {
        Layout.fillWidth: true
    }
    Text {
        objectName: "offlineConfirmNote"
        Layout.fillWidth: true
        visible: redemption.member.offline === true
        text: qsTr("离线兑换：联网后由平台确认。确认后再次扫码即可打印兑换券。")
        font.pixelSize: Theme.fontBody
        font.bold: true
        color: Theme.warn
        wrapMode: Text.WordWrap
    }
    ProblemText {
        objectName: "problemText"
        Layout.fillWidth: true
        code: redemption.problem
    }
    Item { Layout.fillHeight: true }
    BusyIndicator {
        Layout.alignment: Qt.AlignHCenter
        running: redemption.busy
        visible: redemption.busy
    }
    KioskButton {
        objectName: "redeemButton"
        Layout.fillWidth: true
        primary: true
        enabled: !redemption.busy
        text: redemption.busy ? qsTr("正在兑换，请稍候…") : qsTr("确认兑换")
        onClicked: redemption.redeem()
    }
}
