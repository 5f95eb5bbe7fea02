import QtQuick
import QtQuick.Layouts
import "../../components"

ColumnLayout {
    spacing: Theme.gap
    Text {
        Layout.fillWidth: true
        text: qsTr("您的电话和地址怎么用？")
        font.pixelSize: Theme.fontTitle
        font.bold: true
        color: Theme.text
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
    }
    Rectangle {
        Layout.fillWidth: true
        implicitHeight: words.implicitHeight + Theme.gap * 2
        radius: Theme.radius
        color: Theme.surface
        border.color: Theme.border
        border.width: Theme.borderWidth
        Text {
            id: words
            anchors { fill: parent; margins: Theme.gap }
            text: qsTr("• 只用于这次志愿服务：联系您、上门找到您。\n• 只给负责这次服务的服务站和志愿者看。\n• 小票和屏幕上的电话号码会隐藏中间四位。\n• 服务完成后按规定保存和删除，不会用于推销。")
            font.pixelSize: Theme.fontBody
            color: Theme.text
            wrapMode: Text.WordWrap
            lineHeight: 1.3
        }
    }
    ProblemText {
        Layout.fillWidth: true
        code: ordering.problem
    }
    Item { Layout.fillHeight: true }
    KioskButton {
        objectName: "agreeButton"
        Layout.fillWidth: true
        primary: true
        text: qsTr("同意，继续")
        onClicked: { ordering.setConsent(true); ordering.next() }
    }
    KioskButton {
        objectName: "disagreeButton"
        Layout.fillWidth: true
        text: qsTr("不同意，不预约了")
        font.pixelSize: Theme.fontBody
        onClicked: nav.home()
    }
}
