package io.outlooksync.sidecar.odoo;

import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcSun15HttpTransport;
import org.apache.xmlrpc.client.XmlRpcSun15HttpTransportFactory;
import org.apache.xmlrpc.client.XmlRpcTransport;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXNotRecognizedException;
import org.xml.sax.SAXNotSupportedException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;

/**
 * The library's HTTP transport with an error handler on its XML parser, and the same nesting limit on every JDK. Without one, the JDK's parser prints
 * every malformed reply as a "[Fatal Error]" line on stderr, outside our log; with it the parse error only
 * travels up as the call's exception, which {@link XmlRpcChannel} turns into an {@link OdooProtocolException}.
 * The Sun15 transport is the library's default one: unlike the plain Sun transport it applies the connect and
 * reply timeouts of the client's configuration.
 */
final class QuietParsing extends XmlRpcSun15HttpTransportFactory {
  static final String MAX_ELEMENT_DEPTH = "jdk.xml.maxElementDepth";
  /** Elements a reply may nest: a value of an array of arrays is three per level. */
  static final int MAX_DEPTH = 2000;

  private static final ErrorHandler THROWING = new ErrorHandler() {
    @Override
    public void warning(SAXParseException e) {
      // Nothing a reply can warn about changes what we read.
    }

    @Override
    public void error(SAXParseException e) throws SAXParseException {
      throw e;
    }

    @Override
    public void fatalError(SAXParseException e) throws SAXParseException {
      throw e;
    }
  };

  QuietParsing(XmlRpcClient client) {
    super(client);
  }

  @Override
  public XmlRpcTransport getTransport() {
    return new XmlRpcSun15HttpTransport(getClient()) {
      @Override
      protected XMLReader newXMLReader() throws XmlRpcException {
        XMLReader reader = super.newXMLReader();
        reader.setErrorHandler(THROWING);
        try {
          // JDK 24 and later refuse a document nested deeper than 100 elements, where 17 has no limit: one odd
          // record (a field nested a few dozen values deep) would fail the whole reply on one JDK and not on the
          // other. The same bound on both, still far from what could exhaust the parser.
          reader.setProperty(MAX_ELEMENT_DEPTH, Integer.toString(MAX_DEPTH));
        } catch (SAXNotRecognizedException | SAXNotSupportedException notTheJdksParser) {
          // Another parser has no such default limit to align.
        }
        return reader;
      }
    };
  }
}
