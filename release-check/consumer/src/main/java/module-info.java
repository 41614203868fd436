/** A partner's program on the module path: requires only the Shudu modules it calls. */
module io.shudu.consumer {
  requires io.shudu.twin;
  requires io.shudu.iot;
  requires io.shudu.exchange;
  requires io.shudu.sandbox;
}
