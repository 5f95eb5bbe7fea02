import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import "../../components"

// Station id and name (as on the platform) and what this machine is for.
ColumnLayout {
    id: step
    property string role: technician.values["station.role"]
    spacing: Theme.gap

    TechField {
        id: stationId
        objectName: "techStationId"
        key: "station.id"
        label: qsTr("站点编号（平台上的编号，注册时会自动更新）")
    }
    TechField {
        id: stationName
        objectName: "techStationName"
        key: "station.name"
        label: qsTr("站点名称（显示在屏幕和小票上）")
    }
    Text {
        text: qsTr("本机用途")
        font.pixelSize: Theme.fontBody
        color: Theme.text
    }
    RowLayout {
        spacing: Theme.gap / 2
        Chip {
            objectName: "techRoleOrdering"
            text: qsTr("点单机")
            checked: step.role === "ordering"
            onClicked: step.role = "ordering"
        }
        Chip {
            objectName: "techRoleRedemption"
            text: qsTr("礼品兑换机")
            checked: step.role === "redemption"
            onClicked: step.role = "redemption"
        }
    }
    KioskButton {
        objectName: "techWizardNext"
        Layout.fillWidth: true
        primary: true
        enabled: !technician.busy
        text: qsTr("下一步")
        onClicked: technician.saveStation(stationId.text, stationName.text, step.role)
    }
    Item { Layout.fillHeight: true }
}
