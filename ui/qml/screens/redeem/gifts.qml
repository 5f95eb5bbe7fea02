import QtQuick
import QtQuick.Layouts
import "../../components"

// Gifts by category; ones out of reach are shown with how many points are missing.
ColumnLayout {
    spacing: Theme.gap / 2
    implicitHeight: Theme.touchMin * 16
    CategoryBar {
        Layout.fillWidth: true
    }
    GiftGrid {
        Layout.fillWidth: true
        Layout.fillHeight: true
        forMember: true
    }
    ProblemText {
        objectName: "problemText"
        Layout.fillWidth: true
        code: redemption.problem
    }
    KioskButton {
        objectName: "toCartButton"
        Layout.fillWidth: true
        primary: true
        enabled: redemption.cartCount > 0
        text: redemption.cartCount > 0
              ? qsTr("已选 %1 份，共 %2 积分 · 去结算").arg(redemption.cartCount).arg(redemption.total)
              : qsTr("请先选择礼品")
        onClicked: redemption.go("cart")
    }
}
