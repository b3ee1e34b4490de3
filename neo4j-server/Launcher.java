// A throwaway Neo4j for the integration tests: embedded Community edition with Bolt on localhost.
//
//   java -cp 'neo4j/lib/*' neo4j/Launcher.java DATA_DIR BOLT_PORT [PASSWORD]
//
// BOLT_PORT 0 picks a free port. With PASSWORD, auth is on and user neo4j has that password;
// without it, auth is off. Prints "ready bolt://127.0.0.1:PORT" once Bolt accepts
// connections, and shuts down cleanly on SIGTERM, Ctrl-C or when standard input closes.
// The page cache is 128 MiB unless -Dpagecache=SIZE (e.g. 1g) is given to java.
// Fetch the jars first: (cd neo4j && mvn -q dependency:copy-dependencies -DoutputDirectory=lib)

import java.nio.file.Path;
import java.util.Map;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

public class Launcher {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Launcher DATA_DIR BOLT_PORT [PASSWORD]");
            System.exit(2);
        }
        String password = args.length > 2 ? args[2] : null;
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(Path.of(args[0]))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address,
                        new SocketAddress("127.0.0.1", Integer.parseInt(args[1])))
                .setConfig(GraphDatabaseSettings.auth_enabled, password != null)
                .setConfig(GraphDatabaseSettings.pagecache_memory,
                        ByteUnit.parse(System.getProperty("pagecache", "128m")))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown));
        try {
            if (password != null) {
                dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                        "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                        Map.of("password", password));
            }
            var db = (GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            var port = db.getDependencyResolver().resolveDependency(ConnectorPortRegister.class)
                    .getLocalAddress(ConnectorType.BOLT).getPort();
            System.out.println("ready bolt://127.0.0.1:" + port);
            System.out.flush();
        } catch (RuntimeException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
        while (System.in.read() != -1) {
            // run until standard input closes
        }
        System.exit(0);
    }
}
