import QtQuick
import QtQuick.Layouts
import "../../components"

// The cloud address and the one-time enrolment code, typed (a scanned SKE1 QR enrols by itself).
ColumnLayout {
    spacing: Theme.gap / 2

    TechField {
        id: url
        objectName: "techCloudUrl"
        key: "cloud.url"
        label: qsTr("服务平台地址")
    }
    TechField {
        id: code
        objectName: "techEnrolCode"
        label: qsTr("注册码")
    }
    KioskButton {
        objectName: "techEnrol"
        Layout.fillWidth: true
        primary: true
        enabled: !technician.busy
        text: technician.busy ? qsTr("正在注册……") : qsTr("注册本机")
        onClicked: technician.enrol(url.text, code.text)
    }
}
