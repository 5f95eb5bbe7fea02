<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
  <context>
    <name>CategoriesScreen</name>
    <message>
      <source>请选择服务类别</source>
      <translation>Choose a kind of service</translation>
    </message>
    <message>
      <source>服务目录正在更新，请稍后再试，或拨打服务站电话。</source>
      <translation>The service list is being updated. Please try again shortly, or call the station.</translation>
    </message>
  </context>
  <context>
    <name>GiftsScreen</name>
    <message>
      <source>可兑换礼品</source>
      <translation>Gifts you can redeem</translation>
    </message>
    <message>
      <source>%1 积分</source>
      <translation>%1 points</translation>
    </message>
    <message>
      <source>本机剩余 %1</source>
      <translation>%1 left here</translation>
    </message>
    <message>
      <source>已兑完</source>
      <translation>All gone</translation>
    </message>
  </context>
  <context>
    <name>HomeOrdering</name>
    <message>
      <source>您好！需要什么帮助？</source>
      <translation>Hello! How can we help?</translation>
    </message>
    <message>
      <source>点</source>
      <translation>O</translation>
    </message>
    <message>
      <source>我要点单</source>
      <translation>Order a service</translation>
    </message>
    <message>
      <source>预约志愿服务：助老、助残、维修、法律咨询……</source>
      <translation>Book volunteer help: elderly care, disability help, repairs, legal advice…</translation>
    </message>
    <message>
      <source>查</source>
      <translation>T</translation>
    </message>
    <message>
      <source>查询 / 评价</source>
      <translation>Track / rate</translation>
    </message>
    <message>
      <source>扫描小票上的二维码，查看进度、评价服务</source>
      <translation>Scan the QR on your receipt to see progress and rate the service</translation>
    </message>
    <message>
      <source>扫</source>
      <translation>P</translation>
    </message>
    <message>
      <source>手机扫码点单</source>
      <translation>Order on your phone</translation>
    </message>
    <message>
      <source>用自己的手机下单</source>
      <translation>Use your own phone to order</translation>
    </message>
  </context>
  <context>
    <name>HomeRedemption</name>
    <message>
      <source>志愿者积分兑换</source>
      <translation>Volunteer points exchange</translation>
    </message>
    <message>
      <source>请打开手机上的志愿者码，对准下方扫码口</source>
      <translation>Open your volunteer code on your phone and hold it to the scanner below</translation>
    </message>
    <message>
      <source>先看看有哪些礼品</source>
      <translation>See the gifts first</translation>
    </message>
  </context>
  <context>
    <name>HomeSwitches</name>
    <message>
      <source>标准字体</source>
      <translation>Standard text</translation>
    </message>
    <message>
      <source>大字模式</source>
      <translation>Large text</translation>
    </message>
  </context>
  <context>
    <name>IdleOverlay</name>
    <message>
      <source>还在吗？</source>
      <translation>Are you still there?</translation>
    </message>
    <message>
      <source>秒后回到首页，已填写的内容会被清除。</source>
      <translation>seconds until the home screen. What you entered will be cleared.</translation>
    </message>
    <message>
      <source>我还在，继续</source>
      <translation>I'm here, continue</translation>
    </message>
  </context>
  <context>
    <name>Main</name>
    <message>
      <source>社区志愿服务站</source>
      <translation>Community volunteer station</translation>
    </message>
  </context>
  <context>
    <name>NumericKeypad</name>
    <message>
      <source>删除</source>
      <translation>Delete</translation>
    </message>
    <message>
      <source>清空</source>
      <translation>Clear</translation>
    </message>
  </context>
  <context>
    <name>PhoneOrderScreen</name>
    <message>
      <source>手机扫码点单</source>
      <translation>Order on your phone</translation>
    </message>
    <message>
      <source>打开微信，扫一扫下面的二维码，就能在手机上点单。</source>
      <translation>Open WeChat and scan the code below to order on your phone.</translation>
    </message>
    <message>
      <source>手机点单暂不可用，请在本机点单。</source>
      <translation>Phone ordering is not available right now. Please order here.</translation>
    </message>
    <message>
      <source>不会用手机也没关系，返回后点“我要点单”。</source>
      <translation>No phone? No problem: go back and tap “Order a service”.</translation>
    </message>
  </context>
  <context>
    <name>ScanHint</name>
    <message>
      <source>扫码口 ↓</source>
      <translation>Scanner ↓</translation>
    </message>
  </context>
  <context>
    <name>ScreenPage</name>
    <message>
      <source>‹ 返回</source>
      <translation>‹ Back</translation>
    </message>
    <message>
      <source>首页</source>
      <translation>Home</translation>
    </message>
  </context>
  <context>
    <name>ServicesScreen</name>
    <message>
      <source>上门服务</source>
      <translation>At your home</translation>
    </message>
    <message>
      <source>到站服务</source>
      <translation>At the station</translation>
    </message>
  </context>
  <context>
    <name>StatusStrip</name>
    <message>
      <source>已联网</source>
      <translation>Online</translation>
    </message>
    <message>
      <source>网络不稳定</source>
      <translation>Network unstable</translation>
    </message>
    <message>
      <source>离线（数据会自动补传）</source>
      <translation>Offline (data will be sent later)</translation>
    </message>
    <message>
      <source>正在连接</source>
      <translation>Connecting</translation>
    </message>
    <message>
      <source>打印机正常</source>
      <translation>Printer OK</translation>
    </message>
    <message>
      <source>打印纸将用完</source>
      <translation>Paper low</translation>
    </message>
    <message>
      <source>打印机缺纸</source>
      <translation>Printer out of paper</translation>
    </message>
    <message>
      <source>打印机盖未关</source>
      <translation>Printer cover open</translation>
    </message>
    <message>
      <source>打印机未连接</source>
      <translation>Printer not connected</translation>
    </message>
    <message>
      <source>未配置打印机</source>
      <translation>No printer set up</translation>
    </message>
    <message>
      <source>打印机故障</source>
      <translation>Printer fault</translation>
    </message>
    <message>
      <source>打印机检查中</source>
      <translation>Checking printer</translation>
    </message>
    <message>
      <source>扫码正常</source>
      <translation>Scanner OK</translation>
    </message>
    <message>
      <source>扫码器未连接</source>
      <translation>Scanner not connected</translation>
    </message>
    <message>
      <source>未配置扫码器</source>
      <translation>No scanner set up</translation>
    </message>
    <message>
      <source>扫码器检查中</source>
      <translation>Checking scanner</translation>
    </message>
  </context>
</TS>