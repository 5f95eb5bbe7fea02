import QtQuick
import QtQuick.Layouts
import "../../components"

ColumnLayout {
    spacing: Theme.gap
    Text {
        Layout.fillWidth: true
        text: qsTr("这次服务是为谁预约？")
        font.pixelSize: Theme.fontTitle
        font.bold: true
        color: Theme.text
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
    }
    KioskButton {
        objectName: "forSelfButton"
        Layout.fillWidth: true
        Layout.preferredHeight: Theme.buttonHeight * 1.6
        glyph: qsTr("我")
        text: qsTr("为自己预约")
        onClicked: { ordering.setForOther(false); ordering.next() }
    }
    KioskButton {
        objectName: "forOtherButton"
        Layout.fillWidth: true
        Layout.preferredHeight: Theme.buttonHeight * 1.6
        glyph: qsTr("家")
        text: qsTr("帮家人或邻居预约")
        subtitle: qsTr("需要留下对方的电话")
        onClicked: { ordering.setForOther(true); ordering.next() }
    }
    Item { Layout.fillHeight: true }
}
